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
 * cancel (and-operation clearing SCHEDULED) from another thread vs the dequeue's
 * and-operation on a scheduled BH. Either the dequeue came first and the BH ran, or the
 * cancel came first and the BH was dequeued without running. Either way the BH ends on no
 * list with no flags, and a later schedule makes it run.
 *
 * <p>r1: runs in the consumer's poll. r2: runs after the arbiter's poll. r3:
 * PENDING|SCHEDULED bits after it. r4: runs after one more schedule and poll.
 */
public class CancelVsPollTest {

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

        void check(IIII_Result r) {
            loop.poll();
            r.r2 = runs;
            r.r3 = StressLoop.listBits(bh);
            loop.schedule(bh);
            loop.poll();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: cancel vs dequeue")
    @Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "dequeued first: ran; the cancel came too late")
    @Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "cancelled first: dequeued without running")
    @Outcome(expect = FORBIDDEN, desc = "ran after the cancel, twice, or stuck PENDING")
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
        public void canceller() {
            bh.cancel();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: cancel vs dequeue")
    @Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "dequeued first: ran; the cancel came too late")
    @Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "cancelled first: not run")
    @Outcome(expect = FORBIDDEN, desc = "ran after the cancel, twice, or left SCHEDULED")
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
        public void canceller() {
            bh.cancel();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
