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
 * The or-operation of a schedule races the and-operation of the dequeue of the same,
 * already scheduled BH. Either the schedule saw SCHEDULED still set and merged into the
 * pending run (one run in all), or the dequeue had cleared it and the schedule makes the BH
 * run once more in the next poll. Never both, never neither.
 *
 * <p>r1: runs in the consumer's poll. r2: 1 if the schedule found SCHEDULED set (merged).
 * r3: runs after the arbiter's poll. r4: PENDING|SCHEDULED bits left after it.
 */
public class RescheduleVsPollTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Home thread only. */
        int runs;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
            loop.schedule(bh);
        }

        void consume(IIII_Result r) {
            loop.poll();
            r.r1 = runs;
        }

        void produce(IIII_Result r) {
            r.r2 = (loop.schedule(bh) & BhFlags.SCHEDULED) != 0 ? 1 : 0;
        }

        void check(IIII_Result r) {
            loop.poll();
            r.r3 = runs;
            r.r4 = StressLoop.listBits(bh);
        }
    }

    @JCStressTest
    @Description("sliced: schedule (or) vs dequeue (and) of a pending BH")
    @Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "merged into the pending run: one run")
    @Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "dequeued first: pushed again, ran in the next poll")
    @Outcome(expect = FORBIDDEN, desc = "lost, doubled, or left PENDING")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void consumer(IIII_Result r) {
            consume(r);
        }

        @Actor
        public void producer(IIII_Result r) {
            produce(r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: schedule (or) vs dequeue (and) of a scheduled BH")
    @Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "merged into the pending run: one run")
    @Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "dequeued first: ran again in the next poll")
    @Outcome(expect = FORBIDDEN, desc = "lost, doubled, or left SCHEDULED")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void consumer(IIII_Result r) {
            consume(r);
        }

        @Actor
        public void producer(IIII_Result r) {
            produce(r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
