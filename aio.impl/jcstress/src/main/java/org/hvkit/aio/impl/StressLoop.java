package org.hvkit.aio.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.function.Supplier;

/**
 * One BH scheduler driven the way {@link AioContextImpl#poll(boolean)} drives it, without
 * the context around it: no selector, timers, thread pool or home-thread check. A jcstress
 * test makes thousands of states, and a whole context per state would open thousands of
 * selectors.
 *
 * <p>The actors call {@link BhScheduler#enqueue} directly: that is what
 * {@link BottomHalfImpl#schedule()} does between its early DELETED check and its
 * {@code notifyLoop()} (which needs a context). {@link BottomHalfImpl#cancel()} and
 * {@link BottomHalfImpl#delete()} need no context and are called as they are.
 *
 * <p>Thread-safety: {@link #schedule} and {@link #oneshot} from any thread; {@link #poll}
 * and the counters from one thread at a time: the consumer actor, then the arbiter (jcstress
 * orders the arbiter after every actor).
 */
final class StressLoop {

    /** The scheduler under test, by name, as in {@link Schedulers}. */
    static final Supplier<BhScheduler> SLICED = SlicedScheduler::new;
    static final Supplier<BhScheduler> LINEAR = LinearScheduler::new;

    /**
     * One real selector per VM for every {@link LoopWakeup} under test. Nobody selects on it,
     * so {@code wakeup()} only sets its wake-up flag: harmless, and no file descriptors per state.
     */
    static final Selector SELECTOR = openSelector();

    final BhScheduler scheduler;
    final LoopCounters counters = new LoopCounters();

    StressLoop(Supplier<BhScheduler> scheduler) {
        this.scheduler = scheduler.get();
    }

    /** A BH on no list, as {@code newBottomHalf}. Any thread. */
    BottomHalfImpl newBh(Runnable callback) {
        return scheduler.create("stress", callback, "", 0, null);
    }

    /** A oneshot BH, scheduled as it is made, as {@code scheduleOneshot}. Any thread. */
    void oneshot(Runnable callback) {
        scheduler.create("oneshot", callback, "", BhFlags.ONESHOT | BhFlags.SCHEDULED, null);
    }

    /**
     * {@code schedule()} without the wake-up. Any thread.
     *
     * @return the flags before the or-operation
     */
    int schedule(BottomHalfImpl bh) {
        return scheduler.enqueue(bh, BhFlags.SCHEDULED);
    }

    /** One non-blocking poll's BH part. The consumer thread. */
    boolean poll() {
        return scheduler.runScheduled(counters);
    }

    /** BHs dequeued so far: taken off a list, or for the linear scheduler taken by a walk. */
    int dequeued() {
        return (int) counters.bhDequeued;
    }

    /** Whether the next poll would not block for BHs, as computeTimeoutNanos() decides it. */
    boolean bhReady() {
        return scheduler.readiness() == BhScheduler.READY;
    }

    /** The PENDING and SCHEDULED bits of a flag word: 0 once a BH is idle and on no list. */
    static int listBits(BottomHalfImpl bh) {
        return bh.flags() & (BhFlags.PENDING | BhFlags.SCHEDULED);
    }

    private static Selector openSelector() {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }
}
