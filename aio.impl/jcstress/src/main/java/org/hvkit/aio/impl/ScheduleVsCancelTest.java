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
 * schedule (or-operation of PENDING|SCHEDULED) vs cancel (and-operation clearing SCHEDULED)
 * from two threads, then the arbiter polls. The BH runs if and only if it was still
 * scheduled when the poll came; the dequeue leaves it on no list (PENDING clear), so a
 * later schedule pushes it again and it runs.
 *
 * <p>r1: isScheduled() before the arbiter's poll. r2: runs after that poll. r3:
 * PENDING|SCHEDULED bits after it. r4: runs after one more schedule and poll.
 */
public class ScheduleVsCancelTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Home thread only. */
        int runs;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
        }

        void check(IIII_Result r) {
            r.r1 = bh.isScheduled() ? 1 : 0;
            loop.poll();
            r.r2 = runs;
            r.r3 = StressLoop.listBits(bh);
            loop.schedule(bh);
            loop.poll();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: schedule vs cancel")
    @Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "cancel first, schedule second: it runs")
    @Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "schedule first, cancel second: dequeued without running")
    @Outcome(expect = FORBIDDEN, desc = "ran while cancelled, lost, or stuck PENDING")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void scheduler() {
            loop.schedule(bh);
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
    @Description("linear: schedule vs cancel")
    @Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "cancel first, schedule second: it runs")
    @Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "schedule first, cancel second: not run")
    @Outcome(expect = FORBIDDEN, desc = "ran while cancelled, lost, or left SCHEDULED")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void scheduler() {
            loop.schedule(bh);
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
