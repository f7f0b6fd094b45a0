package org.hvkit.aio.impl;

import java.util.List;
import org.hvkit.aio.monitor.PendingBottomHalf;

/**
 * Keeps track of a context's bottom halves and runs the scheduled ones. The two
 * implementations differ in what a poll visits: {@link SlicedScheduler} only BHs that
 * were scheduled or deleted, {@link LinearScheduler} every BH that exists.
 *
 * <p>Thread-safety: each method says who may call it. None takes a lock.
 */
interface BhScheduler {

    /** The scheduler's name, {@code sliced} or {@code linear}. Any thread. */
    String name();

    /**
     * Makes a BH known to the scheduler. Any thread.
     *
     * @param initialFlags {@code 0}, or {@code ONESHOT | SCHEDULED} for a oneshot
     */
    BottomHalfImpl create(String name, Runnable callback, String owner, int initialFlags,
            AioContextImpl context);

    /**
     * Sets {@code newFlags} on the BH with one or-operation and puts it where the next
     * poll finds it. Any thread; never blocks. Does not wake the loop: the caller does.
     *
     * @return the flags before the or-operation
     * @throws IllegalStateException if the scheduler is closed
     */
    int enqueue(BottomHalfImpl bh, int newFlags);

    /**
     * As {@link #enqueue}, called by the context's home thread, which a scheduler may let
     * skip the atomic list push that other threads need. Only the home thread.
     *
     * @return the flags before the or-operation
     * @throws IllegalStateException if the scheduler is closed
     */
    default int enqueueFromHome(BottomHalfImpl bh, int newFlags) {
        return enqueue(bh, newFlags);
    }

    /**
     * Marks the BH deleted so that the next poll forgets it. Any thread; idempotent.
     */
    void delete(BottomHalfImpl bh);

    /**
     * Runs every BH scheduled before this call, each once. A callback may call
     * {@code runScheduled} again (a nested poll). Only the home thread.
     *
     * @param counters where runs and dequeues are counted
     * @return true if a non-idle BH ran
     */
    boolean runScheduled(LoopCounters counters);

    /**
     * What the next poll would find. Only the home thread.
     *
     * @return {@link #NOTHING}, {@link #IDLE_ONLY} or {@link #READY}
     */
    int readiness();

    /**
     * Walks a list from {@code first} up to {@code end} (exclusive, may be null) and tells
     * what a poll would find there. Only the home thread, on lists whose links it owns or
     * that producers only extend at the head.
     */
    static int readinessOf(BottomHalfImpl first, BottomHalfImpl end) {
        int readiness = NOTHING;
        for (BottomHalfImpl bh = first; bh != null && bh != end; bh = bh.next) {
            int flags = bh.flags();
            if (BhFlags.shouldRun(flags)) {
                if ((flags & BhFlags.IDLE) == 0) {
                    return READY;
                }
                readiness = IDLE_ONLY;
            }
        }
        return readiness;
    }

    /**
     * Runs {@code round} until it has completed {@code cleanRounds} times without a callback
     * failing, then rethrows the first failure. For the last round at close: a failing
     * callback must not keep the BHs behind it from their run. Each round takes a BH off
     * its list before running it, so a failed round is not repeated for the BHs it ran.
     */
    static void runDespiteFailures(Runnable round, int cleanRounds) {
        RuntimeException first = null;
        for (int clean = 0; clean < cleanRounds; ) {
            try {
                round.run();
                clean++;
            } catch (RuntimeException | Error e) {
                if (first == null) {
                    first = e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Nothing is scheduled. */
    int NOTHING = 0;
    /** Only idle BHs are scheduled. */
    int IDLE_ONLY = 1;
    /** A non-idle BH is scheduled. */
    int READY = 2;

    /**
     * Closes the scheduler: from now on {@link #enqueue} throws; runs what was scheduled
     * one last time. Only the home thread, once.
     */
    void closeAndRunLast(LoopCounters counters);

    /**
     * Drops what spent BHs kept for reuse still hold (their callbacks), so that nothing stays
     * reachable through them while the loop sleeps. Home thread, before it blocks.
     */
    default void releaseSpares() {
    }

    /** Adds every pending BH to {@code out}, in visiting order. Only the home thread. */
    void collectPending(List<PendingBottomHalf> out);

    /** BHs alive, or -1 if not tracked. Only the home thread. */
    long created();

    /**
     * Calls of {@link #runScheduled} in progress now: 1 inside a callback of the outermost
     * poll, one more for each nested poll around the caller. Only the home thread.
     */
    int sliceDepth();

    /** The most {@link #sliceDepth()} has been. Only the home thread. */
    int maxSliceDepth();
}
