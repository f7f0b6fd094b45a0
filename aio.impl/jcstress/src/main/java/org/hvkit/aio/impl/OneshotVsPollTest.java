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
 * scheduleOneshot from another thread while the consumer polls and forgets an earlier
 * oneshot. For the sliced scheduler the push races the exchange; for the linear one the
 * create's CAS on the list head races the poll's unlinking of the dead oneshot (also a CAS
 * on the head): a lost update there would lose the new BH.
 *
 * <p>r1: runs of the first oneshot in the consumer's poll. r2: runs of the second there.
 * r3: runs of both after the arbiter's two polls. r4: BHs dequeued by the arbiter's
 * second poll plus BHs still alive by the scheduler's count (both 0 once all are forgotten).
 */
public class OneshotVsPollTest {

    abstract static class Base {
        final StressLoop loop;
        /** Home thread only. */
        int firstRuns;
        int secondRuns;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            loop.oneshot(() -> firstRuns++);
        }

        void consume(IIII_Result r) {
            loop.poll();
            r.r1 = firstRuns;
            r.r2 = secondRuns;
        }

        void produce() {
            loop.oneshot(() -> secondRuns++);
        }

        void check(IIII_Result r) {
            loop.poll();
            int before = loop.dequeued();
            loop.poll();
            r.r3 = firstRuns + secondRuns;
            r.r4 = loop.dequeued() - before + (int) Math.max(0, loop.scheduler.created());
        }
    }

    @JCStressTest
    @Description("sliced: scheduleOneshot vs the poll's exchange")
    @Outcome(id = "1, 1, 2, 0", expect = ACCEPTABLE, desc = "pushed before the exchange: ran in that poll")
    @Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "pushed after the exchange: ran in the next poll")
    @Outcome(expect = FORBIDDEN, desc = "lost, run twice, or not forgotten")
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
        public void producer() {
            produce();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: scheduleOneshot's CAS on the head vs the poll's walk and unlinking")
    @Outcome(id = "1, 1, 2, 0", expect = ACCEPTABLE, desc = "linked before the walk began: ran in that poll")
    @Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "linked after the walk began: ran in the next poll")
    @Outcome(expect = FORBIDDEN, desc = "lost, run twice, or not unlinked")
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
        public void producer() {
            produce();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
