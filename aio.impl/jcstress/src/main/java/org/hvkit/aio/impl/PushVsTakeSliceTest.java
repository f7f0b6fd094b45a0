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
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A producer schedules an idle BH while the consumer polls: the push (CAS on incoming, or
 * for the linear scheduler the or-operation on the flags) races the poll's exchange (or
 * walk). The BH runs either in that poll or in the next one, exactly once, and its callback
 * sees the write the producer made before schedule().
 *
 * <p>r1: what the callback saw of the producer's write in the consumer's poll, -1 if it did
 * not run there. r2: runs after the arbiter's poll.
 */
public class PushVsTakeSliceTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Written by the producer before schedule(), plain: published by the schedule. */
        int data;
        /** Home thread only. */
        int runs;
        int seen = -1;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(this::callback);
        }

        private void callback() {
            runs++;
            seen = data;
        }

        void consume(II_Result r) {
            loop.poll();
            r.r1 = seen;
        }

        void produce() {
            data = 42;
            loop.schedule(bh);
        }

        void check(II_Result r) {
            loop.poll();
            r.r2 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: schedule vs the poll's exchange of incoming")
    @Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "ran in that poll and saw the producer's write")
    @Outcome(id = "-1, 1", expect = ACCEPTABLE_INTERESTING, desc = "pushed after the exchange: ran in the next poll")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "ran without seeing the write made before schedule()")
    @Outcome(expect = FORBIDDEN, desc = "lost or run twice")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(r);
        }

        @Actor
        public void producer() {
            produce();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: schedule vs the poll's walk of the list")
    @Outcome(id = "42, 1", expect = ACCEPTABLE, desc = "ran in that poll and saw the producer's write")
    @Outcome(id = "-1, 1", expect = ACCEPTABLE_INTERESTING, desc = "flag set after the walk passed: ran in the next poll")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "ran without seeing the write made before schedule()")
    @Outcome(expect = FORBIDDEN, desc = "lost or run twice")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(r);
        }

        @Actor
        public void producer() {
            produce();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            check(r);
        }
    }
}
