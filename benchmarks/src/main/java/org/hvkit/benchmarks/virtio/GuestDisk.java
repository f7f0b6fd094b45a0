package org.hvkit.benchmarks.virtio;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;

/**
 * One virtio-blk device on the null backend with its guest side running: its own guest
 * memory, features negotiated as Linux does, every queue set up and filled with
 * {@code iodepth} 4 KiB random reads or writes ({@link GuestQueue}).
 *
 * <p>Thread-safety: made, driven and closed by one guest thread; the device's queues run in
 * the context they were given.
 */
final class GuestDisk implements AutoCloseable {

    static final long CAPACITY = 1L << 30;
    static final int QUEUE_SIZE = 256;
    static final int MAX_QUEUES = 4;
    private static final long RAM_BASE = 0x10000;
    private static final int RING_SPAN = 0x4000;
    private static final long BUFFERS = RAM_BASE + (long) RING_SPAN * MAX_QUEUES;
    private static final int RAM_SIZE = RING_SPAN * MAX_QUEUES + GuestQueue.BUFFER_SPAN * MAX_QUEUES;

    private final VirtioBlkDevice device;
    private final GuestQueue[] guests;
    private final GuestInterrupts interrupts;

    /**
     * @param context the context serving every queue
     * @param queues 1 to {@link #MAX_QUEUES}
     * @param iodepth requests in flight per queue, 1 to {@link GuestQueue#MAX_IODEPTH}
     * @param write writes instead of reads
     * @param latency where the guest records each request's latency
     * @param seed the seed of the sector sequences
     */
    GuestDisk(AioContext context, int queues, int iodepth, boolean write, Histogram latency, long seed) {
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("1 to " + MAX_QUEUES + " queues: " + queues);
        }
        GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
        VirtioBlkConfig config = VirtioBlkConfig.defaults(CAPACITY, queues, QUEUE_SIZE);
        device = new VirtioBlkDevice(memory, config, new NullBackend(CAPACITY, false), "hvkit-bench", QUEUE_SIZE,
                List.of(context));
        interrupts = new GuestInterrupts(queues);
        device.interrupts(interrupts);
        long features = negotiate();
        DriverRing[] rings = new DriverRing[queues];
        for (int q = 0; q < queues; q++) {
            RingLayout layout = RingLayout.contiguous(RAM_BASE + (long) RING_SPAN * q, QUEUE_SIZE);
            rings[q] = new DriverRing(memory, layout, features);
            device.setUpQueue(q, QUEUE_SIZE, layout.descTable(), layout.availRing(), layout.usedRing());
        }
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
                | DeviceStatus.DRIVER_OK);
        guests = new GuestQueue[queues];
        for (int q = 0; q < queues; q++) {
            guests[q] = new GuestQueue(q, memory, rings[q], device, iodepth,
                    BUFFERS + (long) GuestQueue.BUFFER_SPAN * q, CAPACITY, seed + q, write, latency);
            guests[q].fill();
        }
    }

    /** The spec's initialisation up to FEATURES_OK, taking what Linux takes: VERSION_1, EVENT_IDX, MQ. */
    private long negotiate() {
        device.status(DeviceStatus.ACKNOWLEDGE);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        long wanted = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1)
                | VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_EVENT_IDX) | VirtioBlkFeatures.bit(VirtioBlkFeatures.MQ);
        long features = device.deviceFeatures() & wanted;
        device.driverFeatures(features);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        if ((device.status() & DeviceStatus.FEATURES_OK) == 0) {
            throw new IllegalStateException("the device refused features " + Long.toHexString(features));
        }
        return features;
    }

    /**
     * Reaps and resubmits on every queue, at most {@code budget} completions in all.
     *
     * @return the completions reaped
     */
    int reapAndResubmit(int budget) {
        int reaped = 0;
        for (GuestQueue g : guests) {
            reaped += g.reapAndResubmit(budget - reaped);
        }
        return reaped;
    }

    /** Kicks the guest sent so far, over all queues. */
    long kicks() {
        long sum = 0;
        for (GuestQueue g : guests) {
            sum += g.kicks();
        }
        return sum;
    }

    /** Interrupts the device raised so far, over all queues. */
    long interrupts() {
        return interrupts.total();
    }

    @Override
    public void close() {
        device.close();
    }
}
