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
 * schedule vs delete of an idle BH from two threads: two or-operations. Whichever comes
 * second sees the other's bits: a schedule that sees DELETED makes schedule() throw. Either
 * way the BH is pushed once (sliced) and the next poll forgets it without running it; it
 * ends with DELETED alone.
 *
 * <p>r1: 1 if the schedule saw DELETED (schedule() throws). r2: runs after the arbiter's
 * two polls. r3: the flag word after them. r4: BHs the two polls dequeued.
 */
public class ScheduleVsDeleteTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Home thread only. */
        int runs;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
        }

        void scheduleOnce(IIII_Result r) {
            r.r1 = (loop.schedule(bh) & BhFlags.DELETED) != 0 ? 1 : 0;
        }

        void check(IIII_Result r) {
            loop.poll();
            loop.poll();
            r.r2 = runs;
            r.r3 = bh.flags();
            r.r4 = loop.dequeued();
        }
    }

    @JCStressTest
    @Description("sliced: schedule vs delete")
    @Outcome(id = "0, 0, 4, 1", expect = ACCEPTABLE, desc = "schedule first: forgotten unrun at the next poll")
    @Outcome(id = "1, 0, 4, 1", expect = ACCEPTABLE_INTERESTING, desc = "delete first: the schedule saw DELETED and throws")
    @Outcome(expect = FORBIDDEN, desc = "ran after delete, pushed twice or never, or left PENDING")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void scheduler(IIII_Result r) {
            scheduleOnce(r);
        }

        @Actor
        public void deleter() {
            bh.delete();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: schedule vs delete")
    @Outcome(id = "0, 0, 4, 1", expect = ACCEPTABLE, desc = "schedule first: found and not run at the next poll")
    @Outcome(id = "1, 0, 4, 1", expect = ACCEPTABLE_INTERESTING, desc = "delete first: the schedule saw DELETED and throws")
    @Outcome(expect = FORBIDDEN, desc = "ran after delete, or left SCHEDULED")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void scheduler(IIII_Result r) {
            scheduleOnce(r);
        }

        @Actor
        public void deleter() {
            bh.delete();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
