package org.hvkit.benchmarks.virtio;

import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.benchmarks.TrialFigures;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * fio's {@code rw=randread|randwrite bs=4k} against a multi-queue virtio-blk device on the
 * null backend, every queue served by one IOThread (a real {@link BenchmarkIoThread} polling in
 * its own thread), the benchmark thread acting as the guest: it keeps {@code iodepth} requests
 * in flight on each queue, reaps completions, resubmits with a new random sector and kicks only
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
 * a {@link LoopReport} (the loop thread's CPU time and waits per request) and records, as
 * {@link TrialFigures}, the p50 and p99 request latency over the measurement iterations, the
 * loop's CPU per request, and the bytes the loop thread (the device side) and the guest thread
 * (with JMH's own per-iteration work in it) allocated per request over the measurement
 * iterations: JMH's {@code gc.alloc.rate.norm} counts every thread, the harness's included,
 * which dominates at low request rates.
 *
 * <p>Thread-safety: one benchmark thread (the guest) plus the IOThread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlkRandIoBenchmark {

    /**
     * Completions per invocation. An invocation stops at exactly this many and leaves later
     * completions to the next one, so every operation is one request, at any iodepth.
     */
    static final int BATCH = 256;

    @Param({"randread", "randwrite"})
    String rw;

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
    private GuestDisk disk;
    /** Request latency in ns, up to 10 s, 2 significant digits; reset when measurement starts. */
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
    private boolean measuring;
    /** Allocation of the loop and guest threads, and requests completed, when measurement started. */
    private long loopAllocatedAtStart;
    private long guestAllocatedAtStart;
    private long completedAtStart;
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
        inline = switch (loop) {
            case "iothread" -> false;
            case "inline" -> true;
            default -> throw new IllegalArgumentException("loop must be iothread or inline: " + loop);
        };
        boolean write = switch (rw) {
            case "randread" -> false;
            case "randwrite" -> true;
            default -> throw new IllegalArgumentException("rw must be randread or randwrite: " + rw);
        };
        if (inline) {
            context = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow()
                    .create("bench-virtio-blk", AioContextFactory.SLICED);
            context.poll(false); // binds this thread as the context's home
        } else {
            ioThread = new BenchmarkIoThread("bench-virtio-blk", "sliced", pollMaxNs);
            context = ioThread.context();
        }
        disk = new GuestDisk(context, queues, iodepth, write, latency, 0x5eed_0000L);
        loopReport = new LoopReport(context);
    }

    /** Starts the latency histogram afresh with the first measurement iteration. */
    @Setup(Level.Iteration)
    public void startMeasuring(IterationParams iteration) {
        if (!measuring && iteration.getType() == IterationType.MEASUREMENT) {
            measuring = true;
            latency.reset();
            loopAllocatedAtStart = loopReport.loopAllocatedBytes();
            guestAllocatedAtStart = loopReport.callerAllocatedBytes();
            completedAtStart = completed;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void io(Counters counters) {
        int done = 0;
        while (done < BATCH) {
            int reaped = disk.reapAndResubmit(BATCH - done);
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
        long kicks = disk.kicks();
        long raised = disk.interrupts();
        counters.kicks += kicks - kicksCounted;
        counters.interrupts += raised - interruptsCounted;
        kicksCounted = kicks;
        interruptsCounted = raised;
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        // Allocation first: the loop report's snapshot below allocates in the loop thread.
        double measured = Math.max(1, completed - completedAtStart);
        TrialFigures.record(params, "loop.alloc.bytes.per.request",
                (loopReport.loopAllocatedBytes() - loopAllocatedAtStart) / measured);
        TrialFigures.record(params, "guest.alloc.bytes.per.request",
                (loopReport.callerAllocatedBytes() - guestAllocatedAtStart) / measured);
        System.out.println();
        System.out.println(loopReport.since(completed));
        TrialFigures.record(params, "latency.p50.ns", latency.getValueAtPercentile(50));
        TrialFigures.record(params, "latency.p99.ns", latency.getValueAtPercentile(99));
        TrialFigures.record(params, "loop.cpu.ns.per.request", loopReport.cpuNanosPerRequest(completed));
        disk.close();
        if (ioThread != null) {
            ioThread.close();
        } else {
            context.close();
        }
    }
}
