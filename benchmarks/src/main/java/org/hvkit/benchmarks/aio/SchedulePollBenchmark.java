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
 * for a reused BH. A oneshot is a new BH per call for the linear scheduler, as
 * {@code aio_bh_schedule_oneshot} mallocs one; the sliced scheduler reuses the oneshots its
 * home thread has run. {@link #pollEmpty} is the poll's own floor. {@link #timerRearmPoll}
 * and {@link #notifierSetPoll} check the other two steady-state paths of the contract:
 * re-arming a timer and setting a notifier.
 *
 * <p>Each method has a context of its own holding only what it uses: the linear scheduler
 * walks every BH in each poll, and a poll looks at every armed timer list, so a BH or a timer
 * made for another method would be paid for here too. Every trial but the empty poll's checks
 * that each of its polls ran exactly one callback.
 *
 * <p>Thread-safety: one benchmark thread; the trial setups run in it and make it the
 * contexts' home thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulePollBenchmark {

    /**
     * A context of this thread, with nothing in it yet. Each benchmark method takes one
     * state only and reaches the context through it: JMH 1.37 gives a method that takes a
     * state both directly and through another state's setup two instances of it, and the
     * BH would be made on a context that is never polled.
     */
    @State(Scope.Thread)
    public static class Loop {

        @Param({"sliced", "linear"})
        String scheduler;

        AioContext ctx;
        long runs;
        private long pollsAtStart;
        private boolean oneCallbackPerPoll;

        @Setup(Level.Trial)
        public void setUp() {
            ctx = Contexts.createHere("bench-schedule-poll", scheduler);
            pollsAtStart = ctx.snapshot().counters().polls();
        }

        void run() {
            runs++;
        }

        /**
         * Makes the trial fail unless every poll since the setup ran exactly one callback: a
         * figure for a poll that found nothing to run is not the figure this class reports.
         * The states of the methods that schedule call it from their setup.
         */
        void expectOneCallbackPerPoll() {
            oneCallbackPerPoll = true;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                long polls = ctx.snapshot().counters().polls() - pollsAtStart;
                if (oneCallbackPerPoll && (polls == 0 || runs != polls)) {
                    throw new IllegalStateException("context '" + ctx.name() + "': " + runs
                            + " callbacks ran in " + polls + " polls, expected one per poll");
                }
            } finally {
                ctx.close();
            }
        }
    }

    /** One BH. */
    @State(Scope.Thread)
    public static class Bh {
        Loop loop;
        BottomHalf bh;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            this.loop = loop;
            loop.expectOneCallbackPerPoll();
            bh = loop.ctx.newBottomHalf("bench", loop::run);
        }
    }

    /** A oneshot task made once: a capturing lambda per call would measure the caller's allocation. */
    @State(Scope.Thread)
    public static class Oneshot {
        Loop loop;
        Runnable task;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            this.loop = loop;
            loop.expectOneCallbackPerPoll();
            task = loop::run;
        }
    }

    /** One timer on the virtual clock, stopped: a deadline of "now" fires in the very next poll, every time. */
    @State(Scope.Thread)
    public static class Timer {
        Loop loop;
        AioTimer timer;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            this.loop = loop;
            loop.expectOneCallbackPerPoll();
            timer = loop.ctx.newTimer(ClockType.VIRTUAL, "bench", loop::run);
            loop.ctx.virtualClock().stop();
        }
    }

    /** One event notifier whose handler clears it. */
    @State(Scope.Thread)
    public static class Notifier {
        Loop loop;
        EventNotifier notifier;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            this.loop = loop;
            loop.expectOneCallbackPerPoll();
            notifier = loop.ctx.newEventNotifier("bench", () -> {
                notifier.testAndClear();
                loop.run();
            });
        }
    }

    @Benchmark
    public boolean schedulePoll(Bh s) {
        s.bh.schedule();
        return s.loop.ctx.poll(false);
    }

    @Benchmark
    public boolean scheduleOneshotPoll(Oneshot s) {
        s.loop.ctx.scheduleOneshot("oneshot", s.task);
        return s.loop.ctx.poll(false);
    }

    @Benchmark
    public boolean timerRearmPoll(Timer s) {
        s.timer.modNanos(s.loop.ctx.clockNanos(ClockType.VIRTUAL));
        return s.loop.ctx.poll(false);
    }

    @Benchmark
    public boolean notifierSetPoll(Notifier s) {
        s.notifier.set();
        return s.loop.ctx.poll(false);
    }

    @Benchmark
    public boolean pollEmpty(Loop loop) {
        return loop.ctx.poll(false);
    }
}
