package org.hvkit.block.virtio.driver;

import java.util.Objects;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.transport.InterruptSink;
import org.hvkit.block.virtio.transport.VirtioTransport;

/**
 * A model of a guest's virtio-blk driver over any {@link VirtioTransport}: the initialisation
 * sequence of virtio 1.2 §3.1.1, rings laid out by a bump allocator in a given range of guest
 * RAM, and requests as 3-part chains (header, data, status) built from per-slot header and
 * status areas preallocated there too; with VIRTIO_RING_F_INDIRECT_DESC each request takes
 * one ring descriptor pointing at its slot's preallocated indirect table. A request
 * allocates nothing.
 *
 * <p>Each {@link #initialise} resets the device first; the reset returns once the device no
 * longer touches the old rings, so the allocator starts again at the start of the range and
 * a driver may be initialised any number of times in the same RAM.
 *
 * <p>Device errors: the device sets NEEDS_RESET and signals a configuration change;
 * {@link #needsReset()} tells the driver thread, and {@link #awaitInterrupt(long)} returns
 * for it, so a caller sees the error instead of waiting for completions that never come.
 *
 * <p>Thread-safety: one driver thread calls every method, as one vCPU holding the queue lock
 * would; the exception is the {@link InterruptSink} this driver installs, which the device
 * calls from any thread: it only sets a flag and unparks the driver thread if it waits in
 * {@link #awaitInterrupt(long)}. Callbacks run in the driver thread, inside
 * {@link #reapCompletions(int)}; nothing runs them from the interrupt.
 */
public final class VirtioBlkDriver {

    /** The features this driver knows how to use. */
    public static final long SUPPORTED = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_EVENT_IDX)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_INDIRECT_DESC) | VirtioBlkFeatures.bit(VirtioBlkFeatures.FLUSH)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.BLK_SIZE) | VirtioBlkFeatures.bit(VirtioBlkFeatures.SEG_MAX)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.SIZE_MAX) | VirtioBlkFeatures.bit(VirtioBlkFeatures.MQ)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RO);

    /** What a request's submitter hears when the device completes it. */
    @FunctionalInterface
    public interface RequestCallback {
        /**
         * The request completed. Called in the thread that calls {@link #reapCompletions(int)}.
         *
         * @param status the status byte: S_OK, S_IOERR or S_UNSUPP
         */
        void completed(int status);
    }

    private final VirtioTransport transport;
    private final GuestMemory memory;
    private final GuestRamAllocator allocator;
    private long negotiated;
    private long capacitySectors;
    private DriverQueue[] queues = new DriverQueue[0];
    /** Replaced at each initialisation; the device holds the one it was last given. */
    private DriverInterrupts interrupts = new DriverInterrupts(0);

    /**
     * Creates a driver for a device in whatever state; {@link #initialise} resets it.
     *
     * @param transport the device
     * @param memory the guest memory
     * @param ramBase the first guest address the driver may allocate rings and slot areas in
     * @param ramSize the bytes it may use from there
     */
    public VirtioBlkDriver(VirtioTransport transport, GuestMemory memory, long ramBase, long ramSize) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.memory = Objects.requireNonNull(memory, "memory");
        if (!memory.contains(ramBase, ramSize)) {
            throw new IllegalArgumentException("the allocation range is not in guest memory");
        }
        this.allocator = new GuestRamAllocator(ramBase, ramSize);
    }

    /**
     * Resets the device and brings it up: ACKNOWLEDGE, DRIVER, features, FEATURES_OK (checked),
     * queues set up, interrupt sink, DRIVER_OK; then reads the capacity. The reset returns
     * once the device no longer uses the previous rings, so they are laid out again from the
     * start of the RAM range; requests still in flight are forgotten without callbacks.
     *
     * @param queueCount queues to set up, up to the device's number
     * @param queueSize the size of each, a power of two up to the device's maximum
     * @param wantedFeatures the features the caller would like; the driver accepts those the
     *     device offers and it supports, VERSION_1 always
     * @throws IllegalStateException if the device refuses FEATURES_OK or the RAM range is too
     *     small for the rings and slot areas
     */
    public void initialise(int queueCount, int queueSize, long wantedFeatures) {
        if (queueCount < 1 || queueCount > transport.numQueues() || queueSize > transport.maxQueueSize()) {
            throw new IllegalArgumentException("the device has " + transport.numQueues() + " queues of at most "
                    + transport.maxQueueSize() + ": " + queueCount + " x " + queueSize);
        }
        transport.status(0);
        allocator.restart();
        queues = new DriverQueue[0];
        int s = DeviceStatus.ACKNOWLEDGE;
        transport.status(s);
        s |= DeviceStatus.DRIVER;
        transport.status(s);
        negotiated = transport.deviceFeatures() & SUPPORTED
                & (wantedFeatures | VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1));
        transport.driverFeatures(negotiated);
        s |= DeviceStatus.FEATURES_OK;
        transport.status(s);
        if ((transport.status() & DeviceStatus.FEATURES_OK) == 0) {
            transport.status(s | DeviceStatus.FAILED);
            throw new IllegalStateException("the device refused features 0x" + Long.toHexString(negotiated));
        }
        setUpQueues(queueCount, queueSize);
        interrupts = new DriverInterrupts(queueCount);
        transport.interrupts(interrupts);
        transport.status(s | DeviceStatus.DRIVER_OK);
        capacitySectors = transport.readConfig(VirtioBlkConfig.OFFSET_CAPACITY, 8);
    }

    private void setUpQueues(int queueCount, int queueSize) {
        boolean indirect = VirtioBlkFeatures.has(negotiated, VirtioBlkFeatures.RING_INDIRECT_DESC);
        DriverQueue[] made = new DriverQueue[queueCount];
        for (int q = 0; q < queueCount; q++) {
            RingLayout layout = RingLayout.contiguous(allocator.allocate(RingLayout.totalBytes(queueSize)), queueSize);
            long headers = allocator.allocate((long) VirtioBlkProtocol.OUT_HEADER_SIZE * queueSize);
            long statuses = allocator.allocate(queueSize);
            long tables = indirect ? allocator.allocate((long) DriverQueue.TABLE_BYTES * queueSize) : -1;
            made[q] = new DriverQueue(memory, new DriverRing(memory, layout, negotiated), headers, statuses, tables);
            transport.setUpQueue(q, queueSize, layout.descTable(), layout.availRing(), layout.usedRing());
        }
        queues = made;
    }

    /**
     * The most RAM {@link #initialise} lays out for these queues, indirect tables included,
     * with room for the 16-byte alignment of each area: what a caller sizes the range by.
     *
     * @param queueCount the queues
     * @param queueSize the size of each
     * @return bytes from the start of the RAM range
     */
    public static long ramNeeded(int queueCount, int queueSize) {
        long perQueue = RingLayout.totalBytes(queueSize) + (long) VirtioBlkProtocol.OUT_HEADER_SIZE * queueSize
                + queueSize + (long) DriverQueue.TABLE_BYTES * queueSize + 4 * 15;
        return perQueue * queueCount;
    }

    /** The negotiated features. */
    public long features() {
        return negotiated;
    }

    /** The capacity in 512-byte sectors, as read from config space at initialisation. */
    public long capacitySectors() {
        return capacitySectors;
    }

    /** The number of queues set up by the last {@link #initialise}. */
    public int queueCount() {
        return queues.length;
    }

    /** Bytes of the RAM range the rings and slot areas take, from its start. */
    public long ramUsed() {
        return allocator.used();
    }

    /**
     * Submits one request: header (readable), data unless {@code length} is 0 (readable for
     * OUT, writable otherwise), status (writable); through the slot's indirect table if
     * VIRTIO_RING_F_INDIRECT_DESC was negotiated. Publishes it and kicks the device if the
     * ring says the device asked for a kick. Allocates nothing.
     *
     * @param queue the queue index
     * @param type a VirtioBlkProtocol T_* type
     * @param sector the first sector
     * @param bufferAddress the guest address of the data buffer
     * @param length its length, 0 for none (FLUSH)
     * @param callback called with the status byte from {@link #reapCompletions(int)}
     * @return false if the queue has no free slot or descriptors; nothing was submitted
     */
    public boolean submit(int queue, int type, long sector, long bufferAddress, int length, RequestCallback callback) {
        Objects.requireNonNull(callback, "callback");
        DriverQueue q = queues[Objects.checkIndex(queue, queues.length)];
        if (!q.add(type, sector, bufferAddress, length, callback)) {
            return false;
        }
        if (q.publish()) {
            transport.notifyQueue(queue);
        }
        return true;
    }

    /**
     * Reaps every used element of a queue and calls each request's callback with its status
     * byte, in this thread. Clears the queue's interrupt-pending flag first, so an interrupt
     * arriving during the reap is seen by the next call; re-arms interrupts (used_event with
     * EVENT_IDX) after reaping.
     *
     * @param queue the queue index
     * @return the number of requests completed
     */
    public int reapCompletions(int queue) {
        DriverQueue q = queues[Objects.checkIndex(queue, queues.length)];
        interrupts.clear(queue);
        return q.reap();
    }

    /** True if the device interrupted for this queue since the last {@link #reapCompletions}. */
    public boolean interruptPending(int queue) {
        return interrupts.pending(Objects.checkIndex(queue, queues.length));
    }

    /**
     * Waits in the driver thread for an interrupt: parks until a queue interrupt is pending
     * or the device signals a configuration change (see {@link #needsReset()}), at most
     * {@code timeoutNanos}. Returns at once if one is already pending. Allocates nothing.
     *
     * @param timeoutNanos the longest wait; 0 or less only checks
     * @return true if a queue interrupt or a configuration change is pending; false on
     *     timeout or if the thread is interrupted (its interrupt status stays set)
     */
    public boolean awaitInterrupt(long timeoutNanos) {
        return interrupts.await(timeoutNanos);
    }

    /**
     * Tells whether the device needs a reset: it signalled a configuration change and its
     * status has NEEDS_RESET. Only a volatile read until the device signals; then one status
     * read. Requests in flight may then never complete; {@link #initialise} recovers.
     *
     * @return true if the device is in NEEDS_RESET
     */
    public boolean needsReset() {
        return interrupts.configChangedSeen() && (transport.status() & DeviceStatus.NEEDS_RESET) != 0;
    }

    /** Requests submitted and not yet reaped on a queue. */
    public int inFlight(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].inFlight();
    }

    /** Kicks sent to the device for a queue since initialisation. */
    public long kicks(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].kicks();
    }

    /** The driver's ring of a queue, for tests and diagnostics. */
    public DriverRing ring(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].ring();
    }
}
