package org.hvkit.block.virtio.driver;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * An fio-like workload on an initialised {@link VirtioBlkDriver}, run in the calling thread
 * as a guest vCPU would: {@code ioDepth} requests kept in flight on each of the first
 * {@code queues} queues, the thread parked in {@link VirtioBlkDriver#awaitInterrupt} until
 * the device interrupts, completions reaped and the slots refilled. Each slot has one data
 * buffer of {@code blockSize} bytes in the given guest RAM range. Sequential modes walk the
 * device (one walk shared by every queue, wrapping at the end); random modes pick blocks with
 * a {@link SplittableRandom} seeded from the spec. Offsets are whole blocks within the
 * device's capacity. Submission stops at the runtime or the I/O count, whichever comes
 * first; the requests in flight are then reaped.
 *
 * <p>Verify: a write carries {@link VerifyPattern}'s pattern of (offset, generation); a read
 * of a block the run has written is checked against the last acknowledged write, and a
 * difference is counted as a mismatch. Blocks the run has not written are not checked (their
 * contents are whatever the device held), so a verifying READ or RANDREAD checks nothing;
 * WRITE and RANDWRITE read every written block back after the write phase, as fio's verify
 * does, and RANDRW checks its reads inline. Verify addresses at most the first
 * {@link #MAX_TRACKED_BLOCKS} blocks, and never has two requests on one block in flight.
 *
 * <p>Errors: a request completed with a status other than OK is counted and stops
 * submission; NEEDS_RESET counts one error and ends the run at once, leaving requests in
 * flight (the driver must be initialised again). If requests are in flight and none completes
 * for {@link #STALL_TIMEOUT}, they count as errors and the run ends: a run never waits for a
 * dead device longer than that, whatever its runtime and I/O count.
 *
 * <p>Allocation: in steady state nothing per request (slots are the callbacks, the
 * histogram's range is fixed); a progress report allocates its result.
 *
 * <p>Thread-safety: a run uses the driver from the calling thread only, which must be the
 * driver's thread; the device's queues must be served by other threads (IOThreads).
 */
public final class Workload {

    /** The longest a run waits for a completion while requests are in flight. */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);
    /** The most blocks a verifying run addresses. */
    public static final int MAX_TRACKED_BLOCKS = 1 << 20;

    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final VirtioBlkDriver driver;
    private final GuestMemory memory;
    private final WorkloadSpec spec;
    private final WorkloadProgress progress;
    private final long stallTimeoutNanos;
    private final WorkloadStats stats = new WorkloadStats();
    private final WorkloadSlot[] slots;
    private final int[][] freeSlots;
    private final int[] freeCount;
    private final BlockPicker picker;
    private final SplittableRandom mix;
    /** Null unless verifying. */
    private final BlockTracker tracker;
    private long submitted;
    private int inFlight;
    private boolean submitting = true;
    private boolean readBack;
    private int readBackCursor;
    /** System.nanoTime() of the last submission or completion. */
    private long lastActivity;

    private Workload(VirtioBlkDriver driver, GuestMemory memory, long bufferBase, long bufferSize, WorkloadSpec spec,
            WorkloadProgress progress, Duration stallTimeout) {
        this.driver = driver;
        this.memory = memory;
        this.spec = spec;
        this.progress = progress;
        this.stallTimeoutNanos = stallTimeout.toNanos();
        long blocks = driver.capacitySectors() * VirtioBlkProtocol.SECTOR_SIZE / spec.blockSize();
        if (blocks == 0) {
            throw new IllegalArgumentException("the device is smaller than one block of " + spec.blockSize());
        }
        this.tracker = spec.verify() ? new BlockTracker((int) Math.min(blocks, MAX_TRACKED_BLOCKS)) : null;
        SplittableRandom random = new SplittableRandom(spec.seed());
        this.mix = random.split();
        this.picker = new BlockPicker(tracker != null ? tracker.blocks() : blocks,
                spec.rw().isRandom() ? random : null);
        this.slots = new WorkloadSlot[spec.queues() * spec.ioDepth()];
        this.freeSlots = new int[spec.queues()][spec.ioDepth()];
        this.freeCount = new int[spec.queues()];
        for (int i = 0; i < slots.length; i++) {
            int q = i / spec.ioDepth();
            slots[i] = new WorkloadSlot(this, q, i, bufferBase + (long) spec.blockSize() * i);
            freeSlots[q][freeCount[q]++] = i;
        }
    }

    /**
     * Runs a workload to its end in the calling thread.
     *
     * @param driver an initialised driver with at least {@code spec.queues()} queues and no
     *     request in flight on them; this thread must be its driver thread
     * @param memory the guest memory the driver uses
     * @param bufferBase the guest address of the data buffers, apart from the driver's rings
     * @param bufferSize the bytes there: at least {@code queues * ioDepth * blockSize}
     * @param spec what to run
     * @param progress called about once per second in this thread
     * @return the totals of the whole run
     * @throws IllegalArgumentException if the driver, the buffers or the device do not fit the spec
     * @throws IllegalStateException if a queue has requests of another submitter in flight
     */
    public static WorkloadResult run(VirtioBlkDriver driver, GuestMemory memory, long bufferBase, long bufferSize,
            WorkloadSpec spec, WorkloadProgress progress) {
        return run(driver, memory, bufferBase, bufferSize, spec, progress, STALL_TIMEOUT);
    }

    /** As the public run, with another stall timeout: tests of a stalled device need not wait 5 s. */
    static WorkloadResult run(VirtioBlkDriver driver, GuestMemory memory, long bufferBase, long bufferSize,
            WorkloadSpec spec, WorkloadProgress progress, Duration stallTimeout) {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(progress, "progress");
        checkFits(driver, memory, bufferBase, bufferSize, spec);
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        return new Workload(driver, memory, bufferBase, bufferSize, spec, progress, stallTimeout).execute();
    }

    /**
     * Runs a workload without progress reports; see {@link #run(VirtioBlkDriver, GuestMemory,
     * long, long, WorkloadSpec, WorkloadProgress)}.
     *
     * @return the totals of the whole run
     */
    public static WorkloadResult run(VirtioBlkDriver driver, GuestMemory memory, long bufferBase, long bufferSize,
            WorkloadSpec spec) {
        return run(driver, memory, bufferBase, bufferSize, spec, soFar -> { });
    }

    private static void checkFits(VirtioBlkDriver driver, GuestMemory memory, long bufferBase, long bufferSize,
            WorkloadSpec spec) {
        if (spec.queues() > driver.queueCount()) {
            throw new IllegalArgumentException(
                    "the driver has " + driver.queueCount() + " queues, the workload needs " + spec.queues());
        }
        long needed = (long) spec.queues() * spec.ioDepth() * spec.blockSize();
        if (needed > bufferSize || !memory.contains(bufferBase, needed)) {
            throw new IllegalArgumentException("the workload needs " + needed
                    + " bytes of guest RAM for its buffers, and has " + bufferSize);
        }
        for (int q = 0; q < spec.queues(); q++) {
            if (driver.inFlight(q) != 0) {
                throw new IllegalStateException("queue " + q + " has requests of another submitter in flight");
            }
        }
    }

    /** The run loop; times are elapsed nanoseconds since the start, so nothing overflows. */
    private WorkloadResult execute() {
        long start = System.nanoTime();
        long runtime = spec.runtime().isZero() ? Long.MAX_VALUE : saturatedNanos(spec.runtime());
        long nextProgress = PROGRESS_INTERVAL_NANOS;
        lastActivity = start;
        fill();
        while (true) {
            if (driver.needsReset()) {
                stats.addErrors(1);
                break;
            }
            reapAll();
            long now = System.nanoTime();
            long elapsed = now - start;
            if (!readBack && elapsed >= runtime) {
                submitting = false;
            }
            fill();
            if (!submitting && inFlight == 0 && !startReadBack()) {
                break;
            }
            if (inFlight > 0 && now - lastActivity >= stallTimeoutNanos) {
                stats.addErrors(inFlight);
                break;
            }
            if (elapsed >= nextProgress) {
                progress.progress(stats.snapshot(elapsed));
                nextProgress = elapsed + PROGRESS_INTERVAL_NANOS;
            }
            long until = Math.min(submitting && !readBack ? runtime : Long.MAX_VALUE, nextProgress) - elapsed;
            long stall = lastActivity + stallTimeoutNanos - now;
            driver.awaitInterrupt(Math.max(0, Math.min(Math.min(until, stall), PROGRESS_INTERVAL_NANOS)));
        }
        return stats.snapshot(System.nanoTime() - start);
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : d.toNanos();
    }

    private void reapAll() {
        for (int q = 0; q < freeCount.length; q++) {
            driver.reapCompletions(q);
        }
    }

    /** After a verifying write phase, reads every written block back, once. */
    private boolean startReadBack() {
        ReadWriteMode rw = spec.rw();
        if (tracker == null || readBack || stats.errors() > 0 || (rw != ReadWriteMode.WRITE
                && rw != ReadWriteMode.RANDWRITE)) {
            return false;
        }
        readBack = true;
        submitting = true;
        fill();
        return true;
    }

    /** Submits on every queue until its slots are full, or submission stops. */
    private void fill() {
        for (int q = 0; q < freeCount.length && submitting; q++) {
            while (submitting && freeCount[q] > 0 && submitOne(q)) {
                // the next slot
            }
        }
    }

    private boolean submitOne(int q) {
        if (!readBack && spec.ioCount() > 0 && submitted >= spec.ioCount()) {
            submitting = false;
            return false;
        }
        boolean write = !readBack && isWrite();
        long block = readBack ? nextReadBackBlock() : nextBlock();
        if (block < 0) {
            return false;
        }
        WorkloadSlot slot = slots[freeSlots[q][freeCount[q] - 1]];
        int generation = tracker == null ? 0 : claim((int) block, write, slot.buffer);
        long offset = block * spec.blockSize();
        long now = System.nanoTime();
        slot.begin(block, write, generation, now);
        if (!driver.submit(q, write ? VirtioBlkProtocol.T_OUT : VirtioBlkProtocol.T_IN,
                offset >>> VirtioBlkProtocol.SECTOR_SHIFT, slot.buffer, spec.blockSize(), slot)) {
            if (tracker != null) {
                tracker.clearBusy((int) block);
            }
            return false;
        }
        lastActivity = now;
        freeCount[q]--;
        inFlight++;
        if (!readBack) {
            submitted++;
        }
        return true;
    }

    private boolean isWrite() {
        return switch (spec.rw()) {
            case WRITE, RANDWRITE -> true;
            case RANDRW -> mix.nextInt(100) >= spec.readPercent();
            case READ, RANDREAD -> false;
        };
    }

    /** The next block, or -1 if verifying and every block has a request in flight. */
    private long nextBlock() {
        long block = picker.next();
        return tracker == null ? block : tracker.findIdle((int) block);
    }

    private long nextReadBackBlock() {
        int block = tracker.nextWritten(readBackCursor);
        if (block < 0) {
            submitting = false;
            return -1;
        }
        readBackCursor = block + 1;
        return block;
    }

    /** Marks the block busy; a write gets a new generation and its pattern, a read the one to expect. */
    private int claim(int block, boolean write, long buffer) {
        tracker.setBusy(block);
        if (!write) {
            return tracker.generation(block);
        }
        int generation = tracker.nextGeneration();
        VerifyPattern.fill(memory, buffer, spec.blockSize(), (long) block * spec.blockSize(), generation);
        return generation;
    }

    /** The driver thread, from reapCompletions: one request of {@code slot} completed. */
    void completed(WorkloadSlot slot, int status) {
        long now = System.nanoTime();
        long latency = now - slot.startNanos;
        lastActivity = now;
        inFlight--;
        freeSlots[slot.queue][freeCount[slot.queue]++] = slot.index;
        if (status != VirtioBlkProtocol.S_OK) {
            stats.failed(latency);
            submitting = false;
        } else {
            stats.completed(slot.write, spec.blockSize(), latency);
        }
        if (tracker != null) {
            settle(slot, status == VirtioBlkProtocol.S_OK);
        }
    }

    private void settle(WorkloadSlot slot, boolean ok) {
        int block = (int) slot.block;
        if (slot.write) {
            if (ok) {
                tracker.written(block, slot.generation);
            } else {
                tracker.lost(block);
            }
        } else if (ok && slot.generation > 0 && !VerifyPattern.matches(memory, slot.buffer, spec.blockSize(),
                slot.block * spec.blockSize(), slot.generation)) {
            stats.mismatch();
        }
        tracker.clearBusy(block);
    }
}
