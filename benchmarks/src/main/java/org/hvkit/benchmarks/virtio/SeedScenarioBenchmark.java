package org.hvkit.benchmarks.virtio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.benchmarks.TrialFigures;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.memory.GuestMemory;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The scenario the O(1) scheduler was made for: one IOThread serving 2 virtio-blk devices of 1
 * queue and 99 devices of 32 queues, 3,170 queues and so 3,170 interrupt BHs (and as many kick
 * notifiers), with guest load on the two single-queue devices only (4 KiB random reads on the
 * null backend, {@code iodepth} each) and the 99 others idle. The score is IOPS of the two
 * loaded devices together; sliced over linear in one run is the scheduler's gain.
 *
 * <p>Over the measurement iterations a JFR recording samples the IOThread; at the end of the
 * trial the share of its samples whose top frame is in the BH scheduler's bookkeeping
 * (the schedulers, the BH and its flag operations) is recorded as {@link TrialFigures}
 * {@code bh.bookkeeping.share}, beside {@code notifier.walk.share} (the event-notifier
 * registry's walks, which grow with the number of queues whatever the scheduler) and the loop
 * thread's CPU per request.
 *
 * <p>Thread-safety: one benchmark thread (the guest of both loaded devices) plus the IOThread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SeedScenarioBenchmark {

    static final int BATCH = 256;
    private static final int IDLE_DEVICES = 99;
    private static final int IDLE_DEVICE_QUEUES = 32;
    private static final String CONTEXT = "bench-seed";
    private static final String IMPL = "org.hvkit.aio.impl.";
    /** The classes whose own time is BH bookkeeping: a frame of a BH callback is not in them. */
    static final List<String> BH_BOOKKEEPING = List.of(IMPL + "SlicedScheduler", IMPL + "LinearScheduler",
            IMPL + "BhScheduler", IMPL + "BhFlags", IMPL + "BottomHalfImpl");
    static final List<String> NOTIFIER_WALK = List.of(IMPL + "NotifierRegistry", IMPL + "EventNotifierImpl");

    @Param({"sliced", "linear"})
    String scheduler;

    @Param({"1", "64"})
    int iodepth;

    private BenchmarkIoThread ioThread;
    private final List<VirtioBlkDevice> idleDevices = new ArrayList<>();
    private GuestDisk[] loaded;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
    private ExecutionProfile profile;
    private LoopReport loopReport;
    private long completed;

    @Setup(Level.Trial)
    public void setUp() {
        ioThread = new BenchmarkIoThread(CONTEXT, scheduler, BenchmarkIoThread.DEFAULT_POLL_MAX_NS);
        AioContext context = ioThread.context();
        loaded = new GuestDisk[] {
            new GuestDisk(context, 1, iodepth, false, latency, 0x5eed_0000L),
            new GuestDisk(context, 1, iodepth, false, latency, 0x5eed_1000L),
        };
        // Never started by a guest: their queues' BHs and notifiers exist and are never used.
        GuestMemory unused = GuestMemory.allocate(0x10000, 0x1000);
        VirtioBlkConfig config = VirtioBlkConfig.defaults(GuestDisk.CAPACITY, IDLE_DEVICE_QUEUES,
                GuestDisk.QUEUE_SIZE);
        for (int d = 0; d < IDLE_DEVICES; d++) {
            idleDevices.add(new VirtioBlkDevice(unused, config, new NullBackend(GuestDisk.CAPACITY, false),
                    "idle" + d, GuestDisk.QUEUE_SIZE, List.of(context)));
        }
        loopReport = new LoopReport(context);
    }

    /** Starts the profile, and the latency histogram afresh, with the first measurement iteration. */
    @Setup(Level.Iteration)
    public void startProfile(IterationParams iteration) {
        if (profile == null && iteration.getType() == IterationType.MEASUREMENT) {
            latency.reset();
            profile = new ExecutionProfile();
            profile.start();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void randread() {
        int done = 0;
        while (done < BATCH) {
            int reaped = 0;
            for (GuestDisk disk : loaded) {
                reaped += disk.reapAndResubmit(BATCH - done - reaped);
            }
            if (reaped == 0) {
                Thread.onSpinWait();
            }
            done += reaped;
        }
        completed += BATCH;
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        System.out.println();
        System.out.println(loopReport.since(completed));
        TrialFigures.record(params, "loop.cpu.ns.per.request", loopReport.cpuNanosPerRequest(completed));
        TrialFigures.record(params, "latency.p99.ns", latency.getValueAtPercentile(99));
        if (profile != null) {
            ExecutionProfile.Shares shares = profile.stop("IO " + CONTEXT, List.of(BH_BOOKKEEPING, NOTIFIER_WALK));
            TrialFigures.record(params, "iothread.samples", shares.samples());
            TrialFigures.record(params, "bh.bookkeeping.share", shares.share(0));
            TrialFigures.record(params, "notifier.walk.share", shares.share(1));
        }
        for (GuestDisk disk : loaded) {
            disk.close();
        }
        idleDevices.forEach(VirtioBlkDevice::close);
        ioThread.close();
    }
}
