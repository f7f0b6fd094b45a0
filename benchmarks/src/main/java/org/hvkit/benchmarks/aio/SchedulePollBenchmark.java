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
 * The same-thread fast path: the home thread schedules a BH and polls it. Run with
 * {@code -prof gc}: steady state should allocate nothing ({@code gc.alloc.rate.norm} 0 B/op)
 * for a reused BH; a oneshot makes one BH per call by design ({@code aio_bh_schedule_oneshot}
 * mallocs too). {@link #pollEmpty} is the poll's own floor. {@link #timerRearmPoll} and
 * {@link #notifierSetPoll} check the other two steady-state paths of the contract: re-arming
 * a timer and setting a notifier.
 *
 * <p>Each method has a context of its own holding only what it uses: a poll visits every
 * notifier and every armed timer list, so a timer or a notifier made for another method would
 * be paid for by the BH methods too.
 *
 * <p>Thread-safety: one benchmark thread; the trial setups run in it and make it the
 * contexts' home thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulePollBenchmark {

    /** A context of this thread, with nothing in it yet. */
    @State(Scope.Thread)
    public static class Loop {

        @Param({"sliced", "linear"})
        String scheduler;

        AioContext ctx;
        long runs;

        @Setup(Level.Trial)
        public void setUp() {
            ctx = Contexts.createHere("bench-schedule-poll", scheduler);
        }

        void run() {
            runs++;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ctx.close();
        }
    }

    /** One BH, and a oneshot task made once: a capturing lambda per call would measure the caller's allocation. */
    @State(Scope.Thread)
    public static class Bh {
        BottomHalf bh;
        Runnable task;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            bh = loop.ctx.newBottomHalf("bench", loop::run);
            task = loop::run;
        }
    }

    /** One timer on the virtual clock, stopped: a deadline of "now" fires in the very next poll, every time. */
    @State(Scope.Thread)
    public static class Timer {
        AioTimer timer;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            timer = loop.ctx.newTimer(ClockType.VIRTUAL, "bench", loop::run);
            loop.ctx.virtualClock().stop();
        }
    }

    /** One event notifier whose handler clears it. */
    @State(Scope.Thread)
    public static class Notifier {
        EventNotifier notifier;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            notifier = loop.ctx.newEventNotifier("bench", () -> {
                notifier.testAndClear();
                loop.run();
            });
        }
    }

    @Benchmark
    public boolean schedulePoll(Loop loop, Bh s) {
        s.bh.schedule();
        return loop.ctx.poll(false);
    }

    @Benchmark
    public boolean scheduleOneshotPoll(Loop loop, Bh s) {
        loop.ctx.scheduleOneshot("oneshot", s.task);
        return loop.ctx.poll(false);
    }

    @Benchmark
    public boolean timerRearmPoll(Loop loop, Timer s) {
        s.timer.modNanos(loop.ctx.clockNanos(ClockType.VIRTUAL));
        return loop.ctx.poll(false);
    }

    @Benchmark
    public boolean notifierSetPoll(Loop loop, Notifier s) {
        s.notifier.set();
        return loop.ctx.poll(false);
    }

    @Benchmark
    public boolean pollEmpty(Loop loop) {
        return loop.ctx.poll(false);
    }
}
