package org.hvkit.aio.impl;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The sliced scheduler's home thread links a BH it schedules on a list of its own, with
 * plain writes, while other threads push on the shared incoming list. Here the home thread
 * schedules and polls while another thread schedules the same BH: exactly one of the two
 * links it (the one whose or-operation found PENDING clear), the other merges; the BH runs
 * once, or twice if the remote schedule came after the dequeue, and is never lost.
 *
 * <p>r1: runs after the home thread's poll. r2: runs after the arbiter's poll. r3:
 * PENDING|SCHEDULED left.
 */
@JCStressTest
@Description("sliced: home-thread schedule (own list) vs remote schedule (incoming) of one BH")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "one linked it, the other merged; ran once")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "remote linked it after the home poll looked")
@Outcome(id = "1, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "remote scheduled after the dequeue: ran again")
@Outcome(expect = FORBIDDEN, desc = "lost, doubled, or left PENDING")
@State
public class HomeVsRemoteScheduleTest {

    private final StressLoop loop = new StressLoop(StressLoop.SLICED);
    private final BottomHalfImpl bh;
    /** The home actor, then the arbiter. */
    private int runs;

    public HomeVsRemoteScheduleTest() {
        bh = loop.newBh(() -> runs++);
    }

    @Actor
    public void home(III_Result r) {
        loop.scheduler.enqueueFromHome(bh, BhFlags.SCHEDULED);
        loop.poll();
        r.r1 = runs;
    }

    @Actor
    public void remote() {
        loop.schedule(bh);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        loop.poll();
        r.r2 = runs;
        r.r3 = StressLoop.listBits(bh);
    }
}
