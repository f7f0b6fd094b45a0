package org.hvkit.benchmarks.virtio;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * fio's {@code rw=randread bs=4k} against a multi-queue virtio-blk device on the null
 * backend, every queue served by one IOThread (a real {@link BenchmarkIoThread} polling in its
 * own thread), the benchmark thread acting as the guest: it keeps {@code iodepth} requests in
 * flight on each queue, reaps completions, resubmits with a new random sector and kicks only
 * when the device asks (see {@link GuestQueue}).
 *
 * <p>With {@code -p loop=inline} the benchmark thread is the device's home thread too and polls
 * the context whenever it finds nothing to reap: one thread pays for guest and device with no
 * wake-ups and no second core, which gives the CPU cost per request even on a busy machine,
 * and a profile of the device path that is not drowned in waiting.
 *
 * <p>One operation is one completed request: each invocation reaps exactly {@link #BATCH}
 * completions across the queues, so the score is IOPS and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes per request (guest and device together; the guest
 * allocates nothing). The {@link Counters} give kicks and interrupts per request, which
 * {@code ResultsTable} prints as ratios to {@code requests}. At the end of each trial it prints
 * a {@link LoopReport}: the loop thread's CPU time and waits per request.
 *
 * <p>Thread-safety: one benchmark thread (the guest) plus the IOThread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlkRandReadBenchmark {

    /**
     * Completions per invocation. An invocation stops at exactly this many and leaves later
     * completions to the next one, so every operation is one request, at any iodepth.
     */
    static final int BATCH = 256;
    private static final long CAPACITY = 1L << 30;
    private static final int QUEUE_SIZE = 256;
    private static final long RAM_BASE = 0x10000;
    private static final int RING_SPAN = 0x4000;
    private static final int MAX_QUEUES = 4;
    private static final long BUFFERS = RAM_BASE + (long) RING_SPAN * MAX_QUEUES;
    private static final int RAM_SIZE = RING_SPAN * MAX_QUEUES + GuestQueue.BUFFER_SPAN * MAX_QUEUES;

    @Param({"1", "64"})
    int iodepth;

    @Param({"1", "4"})
    int queues;

    /** "iothread": the queues on one IOThread; "inline": on a context this thread polls (see above). */
    @Param({"iothread"})
    String loop;

    /** The IOThread's poll.max.ns; the default is IoThreadConfig's. Unused with loop=inline: that context never blocks. */
    @Param({"" + BenchmarkIoThread.DEFAULT_POLL_MAX_NS})
    long pollMaxNs;

    /** Null with loop=inline. */
    private BenchmarkIoThread ioThread;
    private AioContext context;
    private boolean inline;
    private VirtioBlkDevice device;
    private GuestQueue[] guests;
    private GuestInterrupts interrupts;
    /** Kicks and interrupts already added to the counters. */
    private long kicksCounted;
    private long interruptsCounted;
    /** Requests completed in all invocations, warm-up included: the denominator of the loop report. */
    private long completed;
    private LoopReport loopReport;

    /**
     * Kicks, interrupts and requests of one iteration. Events, not rates: ResultsTable divides
     * kicks and interrupts by requests. JMH zeroes them before each iteration, and rejects
     * them as a helper method's argument, so each invocation adds what happened since the
     * previous one; nothing is lost between iterations, it only lands in the next one.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Counters {
        public long requests;
        public long kicks;
        public long interrupts;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (queues > MAX_QUEUES) {
            throw new IllegalArgumentException("at most " + MAX_QUEUES + " queues: " + queues);
        }
        inline = switch (loop) {
            case "iothread" -> false;
            case "inline" -> true;
            default -> throw new IllegalArgumentException("loop must be iothread or inline: " + loop);
        };
        if (inline) {
            context = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow()
                    .create("bench-virtio-blk", AioContextFactory.SLICED);
            context.poll(false); // binds this thread as the context's home
        } else {
            ioThread = new BenchmarkIoThread("bench-virtio-blk", "sliced", pollMaxNs);
            context = ioThread.context();
        }
        GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
        NullBackend backend = new NullBackend(CAPACITY, false);
        VirtioBlkConfig config = VirtioBlkConfig.defaults(CAPACITY, queues, QUEUE_SIZE);
        device = new VirtioBlkDevice(memory, config, backend, "hvkit-bench", QUEUE_SIZE,
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
                    BUFFERS + (long) GuestQueue.BUFFER_SPAN * q, CAPACITY, 0x5eed_0000L + q);
            guests[q].fill();
        }
        loopReport = new LoopReport(context);
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

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void randread(Counters counters) {
        int done = 0;
        while (done < BATCH) {
            int reaped = 0;
            for (GuestQueue g : guests) {
                reaped += g.reapAndResubmit(BATCH - done - reaped);
            }
            if (reaped == 0) {
                if (inline) {
                    context.poll(false);
                } else {
                    Thread.onSpinWait();
                }
            }
            done += reaped;
        }
        counters.requests += BATCH;
        completed += BATCH;
        long kicks = guestKicks();
        long raised = interrupts.total();
        counters.kicks += kicks - kicksCounted;
        counters.interrupts += raised - interruptsCounted;
        kicksCounted = kicks;
        interruptsCounted = raised;
    }

    private long guestKicks() {
        long sum = 0;
        for (GuestQueue g : guests) {
            sum += g.kicks();
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println();
        System.out.println(loopReport.since(completed));
        device.close();
        if (ioThread != null) {
            ioThread.close();
        } else {
            context.close();
        }
    }
}
