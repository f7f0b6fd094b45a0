package org.hvkit.benchmarks.aio;

import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.EventNotifier;
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

/**
 * The same-thread fast path: the home thread schedules a BH and polls it, with no other BH
 * in the context. Run with {@code -prof gc}: steady state should allocate nothing
 * ({@code gc.alloc.rate.norm} 0 B/op) for a reused BH; a oneshot makes one BH per call by
 * design ({@code aio_bh_schedule_oneshot} mallocs too). {@link #pollEmpty} is the poll's
 * own floor. {@link #timerRearmPoll} and {@link #notifierSetPoll} check the other two
 * steady-state paths of the contract: re-arming a timer and setting a notifier.
 *
 * <p>Thread-safety: one benchmark thread; the trial setup runs in it and makes it the
 * context's home thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulePollBenchmark {

    @Param({"sliced", "linear"})
    String scheduler;

    private AioContext ctx;
    private BottomHalf bh;
    private Runnable task;
    private AioTimer timer;
    private EventNotifier notifier;
    private long runs;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = Contexts.createHere("bench-schedule-poll", scheduler);
        bh = ctx.newBottomHalf("bench", this::run);
        // Made once: a capturing lambda per call would measure the caller's allocation.
        task = this::run;
        timer = ctx.newTimer(ClockType.VIRTUAL, "bench", this::run);
        notifier = ctx.newEventNotifier("bench", this::clearNotifier);
        // Stopped: a virtual deadline of "now" fires in the very next poll, every time.
        ctx.virtualClock().stop();
    }

    private void clearNotifier() {
        notifier.testAndClear();
        runs++;
    }

    private void run() {
        runs++;
    }

    @Benchmark
    public boolean schedulePoll() {
        bh.schedule();
        return ctx.poll(false);
    }

    @Benchmark
    public boolean scheduleOneshotPoll() {
        ctx.scheduleOneshot("oneshot", task);
        return ctx.poll(false);
    }

    @Benchmark
    public boolean timerRearmPoll() {
        timer.modNanos(ctx.clockNanos(ClockType.VIRTUAL));
        return ctx.poll(false);
    }

    @Benchmark
    public boolean notifierSetPoll() {
        notifier.set();
        return ctx.poll(false);
    }

    @Benchmark
    public boolean pollEmpty() {
        return ctx.poll(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }
}
