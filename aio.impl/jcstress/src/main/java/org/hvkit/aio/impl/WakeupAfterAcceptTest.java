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
 * No lost wake-up through the notifier's shortcut: {@link LoopWakeup#notifyLoop()} returns
 * at once when {@code notified} is already set. Here an earlier notification is waiting (set
 * in the constructor, not yet accepted) when a schedule from another thread races a whole
 * loop iteration as {@link AioContextImpl#poll} runs it: poll the BHs, accept (clear
 * notified) only if the poll ran nothing, then the next blocking poll's decision to sleep
 * (modelled as in {@link WakeupVsBlockingPollTest}). If the schedule took the shortcut before
 * the accept, the decision's look must see its BH; if no accept came, the notification still
 * set must keep the loop awake.
 *
 * <p>r1: runs in the loop's poll. r2: 1 if the next poll went to sleep. r3: selector wake-ups
 * sent. r4: runs after the arbiter's poll.
 */
public class WakeupAfterAcceptTest {

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
            // An earlier notification, elided (the loop was busy) and not yet accepted.
            wakeup.notifyLoop();
        }

        /**
         * Home thread: one poll's handlers and accept, then the next poll(true) up to its
         * select. A loop that decides to sleep stays asleep, as in
         * {@link WakeupVsBlockingPollTest}.
         */
        void loopIteration(IIII_Result r) {
            loop.poll();
            r.r1 = runs;
            if (runs == 0) {
                wakeup.accept();
            }
            // poll(true) looks for work only when no notification is waiting.
            if (!wakeup.isNotified() && !loop.bhReady()) {
                boolean notified = wakeup.beginBlocking();
                asleep = !notified && !loop.bhReady();
                if (!asleep) {
                    wakeup.endBlocking();
                }
            }
            r.r2 = asleep ? 1 : 0;
        }

        /** Any thread: BottomHalfImpl.schedule(). */
        void schedule() {
            loop.schedule(bh);
            wakeup.notifyLoop();
        }

        void check(IIII_Result r) {
            r.r3 = (int) wakeup.sent();
            if (asleep) {
                wakeup.endBlocking();
            }
            wakeup.accept();
            loop.poll();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: schedule + notifyLoop (maybe elided) vs accept, poll, block decision")
    @Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "the BH ran in that poll; the notification left set keeps the loop awake")
    @Outcome(id = "0, 0, [01], 1", expect = ACCEPTABLE, desc = "not in that poll; the loop saw it before sleeping")
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "not in that poll; the loop went to sleep and was woken")
    @Outcome(id = "0, 1, 0, .*", expect = FORBIDDEN, desc = "lost wake-up: the loop sleeps with a BH scheduled")
    @Outcome(expect = FORBIDDEN, desc = "lost or run twice")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void loop(IIII_Result r) {
            loopIteration(r);
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
    @Description("linear: schedule + notifyLoop (maybe elided) vs accept, poll, block decision")
    @Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "the BH ran in that poll; the notification left set keeps the loop awake")
    @Outcome(id = "0, 0, [01], 1", expect = ACCEPTABLE, desc = "not in that poll; the loop saw it before sleeping")
    @Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "not in that poll; the loop went to sleep and was woken")
    @Outcome(id = "0, 1, 0, .*", expect = FORBIDDEN, desc = "lost wake-up: the loop sleeps with a BH scheduled")
    @Outcome(expect = FORBIDDEN, desc = "lost or run twice")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void loop(IIII_Result r) {
            loopIteration(r);
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
