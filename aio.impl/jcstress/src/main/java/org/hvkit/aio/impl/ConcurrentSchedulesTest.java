package org.hvkit.aio.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
 * Two threads schedule the same idle BH at once. Exactly one or-operation finds it idle
 * (for the sliced scheduler: exactly one pushes it), and the next poll dequeues and runs it
 * exactly once.
 *
 * <p>r1, r2: 1 if that actor's schedule found neither PENDING nor SCHEDULED. r3: BHs the
 * arbiter's poll dequeued. r4: runs.
 */
public class ConcurrentSchedulesTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Home thread only. */
        int runs;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
        }

        int scheduleFoundIdle() {
            return (loop.schedule(bh) & (BhFlags.PENDING | BhFlags.SCHEDULED)) == 0 ? 1 : 0;
        }

        void check(IIII_Result r) {
            loop.poll();
            r.r3 = loop.dequeued();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: two schedules of one BH push it once")
    @Outcome(id = {"1, 0, 1, 1", "0, 1, 1, 1"}, expect = ACCEPTABLE, desc = "one push, one run")
    @Outcome(expect = FORBIDDEN, desc = "pushed twice or not at all, or run other than once")
    @State
    public static class Sliced extends Base {
        public Sliced() {
            super(StressLoop.SLICED);
        }

        @Actor
        public void first(IIII_Result r) {
            r.r1 = scheduleFoundIdle();
        }

        @Actor
        public void second(IIII_Result r) {
            r.r2 = scheduleFoundIdle();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: two schedules of one BH set SCHEDULED once")
    @Outcome(id = {"1, 0, 1, 1", "0, 1, 1, 1"}, expect = ACCEPTABLE, desc = "one schedule set the bit, one run")
    @Outcome(expect = FORBIDDEN, desc = "both or neither set the bit, or run other than once")
    @State
    public static class Linear extends Base {
        public Linear() {
            super(StressLoop.LINEAR);
        }

        @Actor
        public void first(IIII_Result r) {
            r.r1 = scheduleFoundIdle();
        }

        @Actor
        public void second(IIII_Result r) {
            r.r2 = scheduleFoundIdle();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
