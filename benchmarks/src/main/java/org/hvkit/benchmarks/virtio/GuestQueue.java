package org.hvkit.benchmarks.virtio;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * The guest's side of one request queue doing 4 KiB random reads or writes: {@code iodepth}
 * request slots, each with its own header, data buffer and status byte at fixed guest
 * addresses and its own preallocated chain arrays, so that reaping and resubmitting allocates
 * nothing.
 *
 * <p>It behaves as Linux's virtio-blk completion path with EVENT_IDX: reap every used entry,
 * then ask for an interrupt at the next one ({@code used_event = last_used_idx}) and reap
 * again if more arrived meanwhile. It polls instead of waiting for the interrupt, so the
 * device's interrupt decisions are exactly a real guest's and cost the guest nothing here.
 * After resubmitting it publishes once and kicks only if the device asked for it.
 *
 * <p>Latency is recorded per request into a histogram: from the clock read of the call that
 * submitted it to the clock read of the call that reaped it (one {@code nanoTime} per call that
 * finds completions, not two per request), so it is the guest's view, reap delay included.
 *
 * <p>Thread-safety: one guest thread, as one vCPU holding the queue lock.
 */
final class GuestQueue {

    /** 4 KiB: one page, the fio bs=4k of the issue. */
    static final int BLOCK = 4096;
    private static final int SECTORS_PER_BLOCK = BLOCK >> VirtioBlkProtocol.SECTOR_SHIFT;
    private static final int[] LENGTHS = {VirtioBlkProtocol.OUT_HEADER_SIZE, BLOCK, VirtioBlkProtocol.STATUS_SIZE};
    private static final int HEADERS = 0;
    private static final int STATUSES = 0x1000;
    private static final int DATA = 0x10000;
    /** Bytes of guest memory one queue's buffers take, for up to {@link #MAX_IODEPTH} slots. */
    static final int BUFFER_SPAN = DATA + BLOCK * 64;
    static final int MAX_IODEPTH = 64;

    private final int index;
    private final GuestMemory memory;
    private final DriverRing ring;
    private final VirtioBlkDevice device;
    private final SplittableRandom random;
    private final long blocks;
    private final long buffers;
    private final long[][] chains;
    /** The slot whose chain a descriptor head carries: Linux's per-head data token. */
    private final int[] slotOfHead;
    /** {@code readable} of {@link DriverRing#addChain}: the header, and the data for a write. */
    private final int readable;
    private final Histogram latency;
    private final long maxLatency;
    /** The clock read of the call that submitted each slot. */
    private final long[] submittedAt;
    private long kicks;

    /**
     * @param index the queue index
     * @param memory guest memory
     * @param ring the queue's driver ring, set up and live
     * @param device the device to kick
     * @param iodepth requests kept in flight, 1 to {@link #MAX_IODEPTH}
     * @param buffers guest address of this queue's {@link #BUFFER_SPAN} bytes, 4 KiB aligned
     * @param capacity disk size in bytes
     * @param seed the seed of this queue's sector sequence
     * @param write whether the requests are writes (T_OUT) rather than reads (T_IN)
     * @param latency where each request's latency in nanoseconds is recorded; values beyond
     *     its range are recorded as its highest trackable value
     */
    GuestQueue(int index, GuestMemory memory, DriverRing ring, VirtioBlkDevice device, int iodepth, long buffers,
            long capacity, long seed, boolean write, Histogram latency) {
        if (iodepth < 1 || iodepth > MAX_IODEPTH) {
            throw new IllegalArgumentException("iodepth must be 1 to " + MAX_IODEPTH + ": " + iodepth);
        }
        this.index = index;
        this.memory = memory;
        this.ring = ring;
        this.device = device;
        this.random = new SplittableRandom(seed);
        this.blocks = capacity / BLOCK;
        this.buffers = buffers;
        this.chains = new long[iodepth][];
        this.slotOfHead = new int[ring.layout().size()];
        this.readable = write ? 2 : 1;
        this.latency = latency;
        this.maxLatency = latency.getHighestTrackableValue();
        this.submittedAt = new long[iodepth];
        for (int slot = 0; slot < iodepth; slot++) {
            chains[slot] = new long[] {header(slot), buffers + DATA + (long) BLOCK * slot, status(slot)};
            memory.writeInt(header(slot), write ? VirtioBlkProtocol.T_OUT : VirtioBlkProtocol.T_IN);
            memory.writeInt(header(slot) + 4, 0);
        }
    }

    private long header(int slot) {
        return buffers + HEADERS + (long) VirtioBlkProtocol.OUT_HEADER_SIZE * slot;
    }

    private long status(int slot) {
        return buffers + STATUSES + slot;
    }

    /** Offers every slot, publishes and kicks: the queue starts with iodepth requests in flight. */
    void fill() {
        long now = System.nanoTime();
        for (int slot = 0; slot < chains.length; slot++) {
            submit(slot, now);
        }
        ring.enableInterrupts(true);
        publishAndKick();
    }

    /**
     * Reaps up to {@code budget} completions, resubmits each slot with a new sector, publishes
     * and kicks if asked.
     *
     * @return the completions reaped, 0 if the device has published none
     */
    int reapAndResubmit(int budget) {
        int done = 0;
        long now = 0;
        do {
            for (int head; done < budget && (head = ring.pollUsed()) >= 0; done++) {
                int slot = slotOfHead[head];
                if (memory.readByte(status(slot)) != VirtioBlkProtocol.S_OK) {
                    throw new IllegalStateException("queue " + index + " slot " + slot + ": status "
                            + memory.readByte(status(slot)));
                }
                if (now == 0) {
                    now = System.nanoTime();
                }
                latency.recordValue(Math.min(now - submittedAt[slot], maxLatency));
                submit(slot, now);
            }
            // Linux's virtqueue_enable_cb: interrupt me at the next completion, and look once
            // more in case it was already there.
        } while (done < budget && ring.enableInterrupts(true));
        if (done > 0) {
            publishAndKick();
        }
        return done;
    }

    private void submit(int slot, long now) {
        submittedAt[slot] = now;
        memory.writeLong(header(slot) + 8, random.nextLong(blocks) * SECTORS_PER_BLOCK);
        memory.writeByte(status(slot), (byte) 0xff);
        slotOfHead[ring.addChain(chains[slot], LENGTHS, readable)] = slot;
    }

    private void publishAndKick() {
        ring.publish();
        if (ring.needsKick()) {
            kicks++;
            device.notifyQueue(index);
        }
    }

    /** The kicks this guest sent so far. */
    long kicks() {
        return kicks;
    }
}
