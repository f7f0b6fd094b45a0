package org.hvkit.benchmarks.aio;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.impl.BenchmarkIoThread;
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
 * Cross-thread schedules at a low rate: before each one the producer pauses {@code gapMicros}
 * (untimed), longer than the IOThread's polling window, so the loop has gone to sleep in its
 * selector. The score is the time from {@code schedule()} to the producer seeing the callback's
 * effect: the wake-up latency. The teardown records {@code wakeups.per.schedule}, the wake-up
 * system calls the schedules cost; here each one should cost one, where at saturation
 * ({@link CrossThreadBenchmark}) almost none should.
 *
 * <p>Thread-safety: one benchmark thread, the producer; the callback runs in the IOThread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WakeUpBenchmark {

    @Param({"sliced", "linear"})
    String scheduler;

    /** The pause before each schedule: 1 ms, about a thousand schedules a second. */
    @Param({"1000"})
    long gapMicros;

    private final RunCount ran = new RunCount();
    private BenchmarkIoThread ioThread;
    private BottomHalf bh;
    private long schedules;
    private long wakeUpsBefore;

    @Setup(Level.Trial)
    public void setUp() {
        ioThread = new BenchmarkIoThread("bench-wake-up", scheduler, BenchmarkIoThread.DEFAULT_POLL_MAX_NS);
        bh = ioThread.context().newBottomHalf("wake-up", ran);
        wakeUpsBefore = ioThread.context().snapshot().counters().wakeUpsSent();
    }

    /** Untimed: JMH excludes invocation-level setup from the score. */
    @Setup(Level.Invocation)
    public void pause() {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(gapMicros));
    }

    @Benchmark
    public void scheduleAndWait() {
        long next = ran.get() + 1;
        bh.schedule();
        schedules++;
        while (ran.get() < next) {
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        long wakeUps = ioThread.context().snapshot().counters().wakeUpsSent() - wakeUpsBefore;
        // The snapshot itself is a cross-thread oneshot that may have cost one wake-up.
        TrialFigures.record(params, "wakeups.per.schedule", wakeUps / (double) Math.max(1, schedules));
        bh.delete();
        ioThread.close();
    }
}
