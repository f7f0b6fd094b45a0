package org.hvkit.benchmarks.aio;

import java.util.concurrent.TimeUnit;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.benchmarks.TrialFigures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Cross-thread hand-over at saturation: the benchmark thread is a producer that hands distinct,
 * reused tasks to a loop running in another thread, keeping at most {@code window} of them not
 * yet run, and the loop runs them. The score is callbacks run per second (an operation is a
 * hand-over; the window makes hand-overs and runs differ by at most {@code window}). The loops,
 * measured in one run one after another, are an hvkit IOThread with either scheduler (a BH per
 * task), Netty 4.2's NIO event loop and a JDK single-thread executor (see
 * {@link CrossThreadTargets}), and the design's hand-over protocol alone
 * ({@link ProtocolFloorTarget}), the bound for any loop that keeps the BH contract.
 *
 * <p>The window keeps every loop's queue bounded: without it the producer, which is faster,
 * would measure how fast a queue grows. There are four times as many tasks as the window, so a
 * task handed over again has always run (a BH still pending would merge the schedule and run
 * once for two hand-overs; the teardown checks that every hand-over ran). For the IOThreads the
 * teardown records {@code wakeups.per.schedule} (wake-up system calls over schedules in the
 * trial), and the loop's blocking waits and busy-polling hits per schedule, which tell why, and
 * its polls per schedule: the inverse of how many BHs a poll takes at once.
 *
 * <p>Thread-safety: one benchmark thread, the producer; the callbacks run in the loop's thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CrossThreadBenchmark {

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Param({"sliced", "linear", "netty-nio", "jdk-single", "protocol-floor"})
    String executor;

    /** Hand-overs not yet run, at most; a power of two. */
    @Param({"1024"})
    int window;

    private final RunCount ran = new RunCount();
    private CrossThreadTargets.Target target;
    private int mask;
    private HandOverWindow handOvers;
    private ContextCounters before;

    @Setup(Level.Trial)
    public void setUp() {
        if (Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window must be a power of two: " + window);
        }
        int tasks = 4 * window;
        mask = tasks - 1;
        target = CrossThreadTargets.create(executor, tasks, ran);
        handOvers = new HandOverWindow(ran, window);
        before = target.counters();
    }

    @Benchmark
    public void handOver() {
        target.submit((int) (handOvers.next() & mask));
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        long handedOver = handOvers.handedOver();
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (ran.get() != handedOver && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        ContextCounters after = target.counters();
        target.close();
        if (ran.get() != handedOver) {
            throw new AssertionError(executor + " ran " + ran.get() + " callbacks for " + handedOver + " hand-overs");
        }
        if (after != null) {
            double n = handedOver;
            TrialFigures.record(params, "wakeups.per.schedule", (after.wakeUpsSent() - before.wakeUpsSent()) / n);
            TrialFigures.record(params, "blocking.waits.per.schedule",
                    (after.blockingWaits() - before.blockingWaits()) / n);
            TrialFigures.record(params, "polling.hits.per.schedule", (after.pollingHits() - before.pollingHits()) / n);
            TrialFigures.record(params, "polls.per.schedule", (after.polls() - before.polls()) / n);
        }
    }
}
