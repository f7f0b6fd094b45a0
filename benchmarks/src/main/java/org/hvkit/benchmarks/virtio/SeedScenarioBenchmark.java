package org.hvkit.benchmarks.virtio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.benchmarks.Interleaving;
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

/**
 * The scenario the O(1) scheduler was made for: one IOThread serving 2 virtio-blk devices of 1
 * queue and 99 devices of 32 queues, 3,170 queues and so 3,170 interrupt BHs (and as many kick
 * notifiers), with guest load on the two single-queue devices only (4 KiB random reads on the
 * null backend, {@code iodepth} each) and the 99 others idle.
 *
 * <p>The trial builds it twice, on an IOThread with the sliced scheduler and on one with the
 * linear scheduler, and the guest drives one set at a time, switching every
 * {@code sliceMillis} ({@link Interleaving}), so both see the same machine load. Requests in
 * flight when the guest switches complete meanwhile and are reaped when it comes back, the
 * same number for both sets. The teardown records, per scheduler, {@code iops.<scheduler>}
 * over its slices, the loop thread's CPU per request, and from a CPU profile over the
 * measurement iterations ({@link ExecutionProfile}) the share of each IOThread's samples
 * charged to the BH scheduler's bookkeeping (the schedulers, the BH and its flag operations)
 * and to the event notifiers (the loop's look for set ones, where the guest's kicks arrive).
 * JMH's score is the mix of both.
 *
 * <p>Thread-safety: one benchmark thread (the guest of the loaded devices) plus the IOThreads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SeedScenarioBenchmark {

    static final int BATCH = 256;
    static final String[] SCHEDULERS = {"sliced", "linear"};
    private static final int IDLE_DEVICES = 99;
    private static final int IDLE_DEVICE_QUEUES = 32;
    private static final String IMPL = "org.hvkit.aio.impl.";
    /** The classes whose own time is BH bookkeeping: a frame of a BH callback is not in them. */
    static final List<String> BH_BOOKKEEPING = List.of(IMPL + "SlicedScheduler", IMPL + "LinearScheduler",
            IMPL + "BhScheduler", IMPL + "BhFlags", IMPL + "BottomHalfImpl");
    static final List<String> NOTIFIERS = List.of(IMPL + "NotifierRegistry", IMPL + "EventNotifierImpl");

    @Param({"1", "64"})
    int iodepth;

    @Param({"100"})
    long sliceMillis;

    private final Scenario[] scenarios = new Scenario[SCHEDULERS.length];
    private Interleaving turns;
    private ExecutionProfile profile;

    /** One scheduler's IOThread with its 101 devices. */
    private final class Scenario {
        final BenchmarkIoThread ioThread;
        final GuestDisk[] loaded;
        final List<VirtioBlkDevice> idle = new ArrayList<>();
        /** Not reported: requests left in flight while the guest serves the other set wait for its return. */
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
        LoopReport loopReport;

        Scenario(String scheduler) {
            ioThread = new BenchmarkIoThread("bench-seed-" + scheduler, scheduler, BenchmarkIoThread.DEFAULT_POLL_MAX_NS);
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
                idle.add(new VirtioBlkDevice(unused, config, new NullBackend(GuestDisk.CAPACITY, false),
                        "idle" + d, GuestDisk.QUEUE_SIZE, List.of(context)));
            }
        }

        String threadName() {
            return "IO " + ioThread.context().name();
        }

        void close() {
            for (GuestDisk disk : loaded) {
                disk.close();
            }
            idle.forEach(VirtioBlkDevice::close);
            ioThread.close();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < SCHEDULERS.length; i++) {
            scenarios[i] = new Scenario(SCHEDULERS[i]);
        }
        turns = new Interleaving(TimeUnit.MILLISECONDS.toNanos(sliceMillis), SCHEDULERS);
    }

    /** With the first measurement iteration: counts, latencies, loop reports and the profile start afresh. */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        turns.startIteration(iteration, () -> {
            for (Scenario s : scenarios) {
                s.loopReport = new LoopReport(s.ioThread.context());
            }
            profile = ExecutionProfile.start();
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void randread() {
        GuestDisk[] disks = scenarios[turns.current()].loaded;
        int done = 0;
        while (done < BATCH) {
            int reaped = 0;
            for (GuestDisk disk : disks) {
                reaped += disk.reapAndResubmit(BATCH - done - reaped);
            }
            if (reaped == 0) {
                Thread.onSpinWait();
            }
            done += reaped;
        }
        if (turns.add(BATCH)) {
            turns.next();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        turns.pause();
    }

    /**
     * Where the trial's profile goes: beside the trial figures (see {@link TrialFigures}), named
     * by the trial's parameters; null when no figures file is set.
     */
    private static Path profileFile(BenchmarkParams params) {
        String figures = System.getProperty(TrialFigures.FILE_PROPERTY);
        if (figures == null) {
            return null;
        }
        Path dir = Path.of(figures).toAbsolutePath().getParent();
        return dir.resolve("p6-profile-iodepth-" + params.getParam("iodepth") + ".collapsed");
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        List<String> threads = new ArrayList<>();
        for (Scenario s : scenarios) {
            threads.add(s.threadName());
        }
        Map<String, ExecutionProfile.Shares> shares = profile == null ? Map.of()
                : profile.stop(threads, List.of(BH_BOOKKEEPING, NOTIFIERS), profileFile(params));
        for (int i = 0; i < SCHEDULERS.length; i++) {
            Scenario s = scenarios[i];
            String suffix = "." + SCHEDULERS[i];
            TrialFigures.record(params, "iops" + suffix, turns.rate(i));
            if (s.loopReport != null) {
                TrialFigures.record(params, "loop.cpu.ns.per.request" + suffix,
                        s.loopReport.cpuNanosPerRequest(turns.ops(i)));
            }
            ExecutionProfile.Shares share = shares.get(s.threadName());
            if (share != null) {
                TrialFigures.record(params, "iothread.samples" + suffix, share.samples());
                TrialFigures.record(params, "bh.bookkeeping.share" + suffix, share.share(0));
                TrialFigures.record(params, "notifiers.share" + suffix, share.share(1));
            }
        }
        for (Scenario s : scenarios) {
            s.close();
        }
    }
}
