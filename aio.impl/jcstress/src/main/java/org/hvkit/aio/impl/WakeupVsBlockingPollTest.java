package org.hvkit.aio.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.function.Supplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * No lost wake-up: schedule from another thread (push, then {@link LoopWakeup#notifyLoop()})
 * vs a blocking poll of an idle loop. The loop runs {@link AioContextImpl}'s protocol up to
 * the point where it would call {@code select}: first look at the BHs; if none is ready,
 * beginBlocking (raise notifyMe, read notified), look again; it sleeps if it saw neither
 * a notification nor a ready BH. A selector sleep cannot run inside jcstress, so the test
 * models it: a sleeping loop keeps notifyMe raised for the rest of the actor, and the
 * arbiter counts the selector wake-ups the notifier sent. A loop asleep with none sent would
 * sleep for ever with a BH scheduled.
 *
 * <p>r1: 1 if the loop went to sleep. r2: selector wake-ups sent. r3: runs in the loop's
 * poll if it did not sleep. r4: runs after the arbiter's poll.
 */
public class WakeupVsBlockingPollTest {

    abstract static class Base {
        final StressLoop loop;
        final LoopWakeup wakeup = new LoopWakeup(StressLoop.SELECTOR);
        final BottomHalfImpl bh;
        /** Home thread only (the arbiter reads them after the actors). */
        int runs;
        boolean asleep;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
        }

        /**
         * Home thread: poll(true) of AioContextImpl with the select modelled. A loop that
         * decides to sleep stays asleep, notifyMe raised, until the arbiter: only a wake-up
         * sent meanwhile could end a real, unbounded select.
         */
        void blockingPoll(IIII_Result r) {
            // poll(true) looks for work only when no notification is waiting.
            if (!wakeup.isNotified() && !loop.bhReady()) {
                boolean notified = wakeup.beginBlocking();
                asleep = !notified && !loop.bhReady();
                if (!asleep) {
                    wakeup.endBlocking();
                }
            }
            if (!asleep) {
                wakeup.accept();
                loop.poll();
            }
            r.r1 = asleep ? 1 : 0;
            r.r3 = runs;
        }

        /** Any thread: BottomHalfImpl.schedule(). */
        void schedule() {
            loop.schedule(bh);
            wakeup.notifyLoop();
        }

        /** The sleeping loop wakes (if it was sent a wake-up) and polls. */
        void check(IIII_Result r) {
            r.r2 = (int) wakeup.sent();
            if (asleep) {
                wakeup.endBlocking();
            }
            wakeup.accept();
            loop.poll();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: schedule + notifyLoop vs a blocking poll (notify_me protocol)")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "the loop saw the BH before sleeping; wake-up elided")
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "the loop saw the BH; a wake-up was sent anyway")
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the loop went to sleep and was woken")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "lost wake-up: the loop sleeps with a BH scheduled")
    @Outcome(id = "0, 0, 0, 1", expect = FORBIDDEN, desc = "the loop saw the BH ready, then its poll did not run it")
    @Outcome(expect = FORBIDDEN, desc = "inconsistent: lost, doubled, or seen but not run")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void loop(IIII_Result r) {
            blockingPoll(r);
        }

        @Actor
        public void scheduler() {
            schedule();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: schedule + notifyLoop vs a blocking poll (notify_me protocol)")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "the loop saw the BH before sleeping; wake-up elided")
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "the loop saw the BH; a wake-up was sent anyway")
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the loop went to sleep and was woken")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "lost wake-up: the loop sleeps with a BH scheduled")
    @Outcome(id = "0, 0, 0, 1", expect = FORBIDDEN, desc = "the loop saw the BH ready, then its poll did not run it")
    @Outcome(expect = FORBIDDEN, desc = "inconsistent: lost, doubled, or seen but not run")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void loop(IIII_Result r) {
            blockingPoll(r);
        }

        @Actor
        public void scheduler() {
            schedule();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
