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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A notifier's set races the loop's run of the ready list that holds it: the handler
 * (test-and-clear, as a device's kick handler) either takes the second set with the first,
 * or the set comes after the clear and queues the notifier again, so the next run handles
 * it. A set is never left unhandled and the list is empty at the end.
 *
 * <p>r1: handled in the consumer's run. r2: handled after the arbiter's run. r3: the flag
 * left set. r4: the ready list not empty.
 */
@JCStressTest
@Description("notifier set vs the loop's run of the ready list")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "the second set merged into the first")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "set after the clear: queued again, handled next run")
@Outcome(expect = FORBIDDEN, desc = "a set left unhandled, or the list left non-empty")
@State
public class NotifierSetVsRunTest {

    /**
     * One context for every state, never polled: the notifier only needs its
     * {@code notifyLoop()}, which from a non-home thread just wakes a selector nobody waits on.
     */
    private static final AioContextImpl CONTEXT =
            new AioContextImpl("stress-notifiers", SlicedScheduler.NAME, new AdaptivePolling(0, 0, 0), false);

    private final NotifierRegistry registry = new NotifierRegistry();
    private final EventNotifierImpl notifier;
    /** Consumer thread, then the arbiter. */
    private int handled;

    public NotifierSetVsRunTest() {
        EventNotifierImpl[] self = new EventNotifierImpl[1];
        notifier = new EventNotifierImpl("stress", () -> {
            if (self[0].testAndClear()) {
                handled++;
            }
        }, registry, CONTEXT);
        self[0] = notifier;
        notifier.set();
    }

    @Actor
    public void consumer(IIII_Result r) {
        registry.runSet();
        r.r1 = handled;
    }

    @Actor
    public void producer() {
        notifier.set();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        registry.runSet();
        r.r2 = handled;
        r.r3 = notifier.isSet() ? 1 : 0;
        r.r4 = registry.anySet() ? 1 : 0;
    }
}
