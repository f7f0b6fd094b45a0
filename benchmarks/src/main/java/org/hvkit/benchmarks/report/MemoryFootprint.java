package org.hvkit.benchmarks.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.BottomHalf;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * Bytes per created BH and per virtio-blk device queue, as retained heap: the heap in use after
 * full collections, before and after creating many of them (kept reachable), over their count.
 * What is measured is what stays: the objects and whatever the context adds to hold them
 * (list links, the notifier array); garbage made while creating them is not counted.
 *
 * <p>Thread-safety: one thread; the contexts it makes are never polled.
 */
final class MemoryFootprint {

    private static final int BHS = 100_000;
    private static final int DEVICES = 100;
    private static final int QUEUES = 32;
    private static final long CAPACITY = 1L << 30;
    private static final int QUEUE_SIZE = 256;
    private static final int GCS = 4;
    private static final Runnable NOTHING = () -> { };

    /** One scheduler's figures. */
    record Footprint(String scheduler, double bytesPerBh, double bytesPerQueue) {
    }

    private MemoryFootprint() {
    }

    static List<Footprint> measure() {
        AioContextFactory factory = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();
        return List.of(measure(factory, AioContextFactory.SLICED), measure(factory, AioContextFactory.LINEAR));
    }

    private static Footprint measure(AioContextFactory factory, String scheduler) {
        double perBh;
        try (AioContext ctx = factory.create("footprint-bh", scheduler)) {
            perBh = bytesPerBh(ctx);
        }
        double perQueue;
        try (AioContext ctx = factory.create("footprint-queue", scheduler)) {
            perQueue = (devicesBytes(ctx, QUEUES) - devicesBytes(ctx, 1)) / (double) (DEVICES * (QUEUES - 1));
        }
        return new Footprint(scheduler, perBh, perQueue);
    }

    /** The array that holds the BHs is made before the first measurement, so it is not counted. */
    private static double bytesPerBh(AioContext ctx) {
        BottomHalf[] bhs = new BottomHalf[BHS];
        long before = usedAfterGc();
        for (int i = 0; i < BHS; i++) {
            bhs[i] = ctx.newBottomHalf("bh", NOTHING);
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(bhs);
        return (after - before) / (double) BHS;
    }

    /**
     * Retained bytes of {@value #DEVICES} devices of {@code queues} queues each, closed after;
     * of 32 queues minus of 1 queue, over the extra queues, is what one more queue costs
     * (its state, notifier, BH and their names), without what every device has once.
     */
    private static long devicesBytes(AioContext ctx, int queues) {
        GuestMemory memory = GuestMemory.allocate(0x10000, 0x1000);
        NullBackend backend = new NullBackend(CAPACITY, false);
        VirtioBlkConfig config = VirtioBlkConfig.defaults(CAPACITY, queues, QUEUE_SIZE);
        VirtioBlkDevice[] devices = new VirtioBlkDevice[DEVICES];
        long before = usedAfterGc();
        for (int d = 0; d < DEVICES; d++) {
            devices[d] = new VirtioBlkDevice(memory, config, backend, "footprint", QUEUE_SIZE, List.of(ctx));
        }
        long after = usedAfterGc();
        for (VirtioBlkDevice device : devices) {
            device.close();
        }
        return after - before;
    }

    /** The heap in use after full collections: the least of several, to skip a late finalisation. */
    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < GCS; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
