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
 * delete() from another thread while the home thread polls a scheduled BH. A delete from
 * another thread may lose the race to a dequeue that already took the BH (its callback then
 * runs once, perhaps while delete() returns): that is allowed. What is checked:
 * <ul>
 * <li>once the loop thread has seen delete() return, no later poll runs the callback;</li>
 * <li>the callback runs at most once, and never after the arbiter's poll;</li>
 * <li>the BH ends with DELETED alone: on no list, never pushed again.</li>
 * </ul>
 *
 * <p>r1: 1 if the loop thread saw delete() return before its poll. r2: runs in that poll.
 * r3: the flag word after the arbiter's poll. r4: runs after the arbiter's poll and one
 * more after a (misused) schedule.
 */
public class DeleteVsPollTest {

    abstract static class Base {
        final StressLoop loop;
        final BottomHalfImpl bh;
        /** Set by the deleter after delete() returned; volatile so the loop can observe it. */
        volatile boolean deleteReturned;
        /** Home thread only. */
        int runs;

        Base(Supplier<BhScheduler> scheduler) {
            loop = new StressLoop(scheduler);
            bh = loop.newBh(() -> runs++);
            loop.schedule(bh);
        }

        void consume(IIII_Result r) {
            r.r1 = deleteReturned ? 1 : 0;
            loop.poll();
            r.r2 = runs;
        }

        void delete() {
            bh.delete();
            deleteReturned = true;
        }

        void check(IIII_Result r) {
            loop.poll();
            r.r3 = bh.flags();
            loop.schedule(bh);
            loop.poll();
            r.r4 = runs;
        }
    }

    @JCStressTest
    @Description("sliced: delete vs dequeue")
    @Outcome(id = "0, 1, 4, 1", expect = ACCEPTABLE_INTERESTING, desc = "dequeued before the delete took effect: ran once")
    @Outcome(id = "0, 0, 4, 0", expect = ACCEPTABLE, desc = "delete took effect first: forgotten unrun")
    @Outcome(id = "1, 0, 4, 0", expect = ACCEPTABLE, desc = "the loop saw delete() return: forgotten unrun")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "ran after the loop thread saw delete() return")
    @Outcome(id = "[01], [01], 5, [01]", expect = FORBIDDEN, desc = "forgotten but left PENDING (on no list)")
    @Outcome(expect = FORBIDDEN, desc = "ran after delete's effect, twice, or not forgotten")
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
        public void deleter() {
            delete();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }

    @JCStressTest
    @Description("linear: delete vs dequeue")
    @Outcome(id = "0, 1, 4, 1", expect = ACCEPTABLE_INTERESTING, desc = "dequeued before the delete took effect: ran once")
    @Outcome(id = "0, 0, 4, 0", expect = ACCEPTABLE, desc = "delete took effect first: not run")
    @Outcome(id = "1, 0, 4, 0", expect = ACCEPTABLE, desc = "the loop saw delete() return: not run")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "ran after the loop thread saw delete() return")
    @Outcome(id = "[01], [01], 5, [01]", expect = FORBIDDEN, desc = "forgotten but left PENDING (on no list)")
    @Outcome(expect = FORBIDDEN, desc = "ran after delete's effect, twice, or not forgotten")
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
        public void deleter() {
            delete();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            check(r);
        }
    }
}
