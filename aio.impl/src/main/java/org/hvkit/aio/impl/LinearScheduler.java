package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.PendingBottomHalf;

/**
 * QEMU's BH scheduler before 2020, kept as the measured baseline: every BH that exists is
 * on one list, and every poll walks the whole list looking for scheduled ones. Cost per
 * poll grows with the number of BHs created, scheduled or not.
 *
 * <p>BHs are pushed at the head with a CAS when created. Deleted (and run oneshot) BHs are
 * unlinked only when no poll is walking the list, as QEMU's {@code list_lock} counter did;
 * a nested poll therefore never sees a node vanish under it.
 *
 * <p>The flags mean what they mean in the sliced scheduler: PENDING is set by the schedule
 * (or delete) that finds it clear, and cleared by the walk that takes the BH. One thing is
 * added to QEMU's old walk so that both schedulers keep one contract: each walk has an
 * epoch, and a BH that a callback makes PENDING during a walk carries that walk's epoch and
 * waits for the next one, instead of running in the same poll because it happens to sit
 * further down the list. Only the walking thread stamps epochs; a schedule from another
 * thread is concurrent with the walk, and running it at once is as right as later (and
 * keeps "the loop saw it ready, so this poll runs it").
 *
 * <p>Thread-safety: {@link #create}, {@link #enqueue} and {@link #delete} from any thread,
 * lock-free; everything else only in the home thread.
 */
final class LinearScheduler implements BhScheduler {

    static final String NAME = "linear";

    private static final VarHandle FIRST;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FIRST = lookup.findVarHandle(LinearScheduler.class, "first", BottomHalfImpl.class);
            CLOSED = lookup.findVarHandle(LinearScheduler.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Head of the list of every BH: producers CAS at the head; the home thread unlinks. */
    @SuppressWarnings("unused")
    private volatile BottomHalfImpl first;

    /**
     * Set once by close. Pairs with the post-check in enqueue (a Dekker pair on volatile
     * accesses): either the closing walk sees the SCHEDULED bit, or the scheduler sees
     * {@code closed} and takes its bit back.
     */
    @SuppressWarnings("unused")
    private volatile boolean closed;

    /** The epoch of the latest walk; bumped as each walk starts. Home thread only. */
    private long epoch;

    /**
     * The thread walking now, or null. Plain: only the home thread writes it, and a foreign
     * thread can never read its own identity in it, stale or not.
     */
    private Thread walker;

    /** Walks in progress (nested polls). Home thread only. */
    private int walking;
    private int maxWalking;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BottomHalfImpl create(String name, Runnable callback, String owner, int initialFlags,
            AioContextImpl context) {
        int flags = initialFlags == 0 ? 0 : initialFlags | BhFlags.PENDING;
        BottomHalfImpl bh = new BottomHalfImpl(name, callback, owner, flags, this, context);
        stampIfWalking(bh);
        for (;;) {
            BottomHalfImpl head = (BottomHalfImpl) FIRST.getVolatile(this);
            bh.next = head;
            if (FIRST.compareAndSet(this, head, bh)) {
                break;
            }
        }
        if ((initialFlags & BhFlags.SCHEDULED) != 0) {
            takeBackIfClosed(bh, 0);
        }
        return bh;
    }

    @Override
    public int enqueue(BottomHalfImpl bh, int newFlags) {
        if ((boolean) CLOSED.getVolatile(this)) {
            throw closed();
        }
        int old = bh.orFlags(BhFlags.PENDING | newFlags);
        if ((old & BhFlags.PENDING) == 0) {
            stampIfWalking(bh);
        }
        takeBackIfClosed(bh, old);
        return old;
    }

    /** A BH made pending by a callback of the walk in progress waits for the next walk. */
    private void stampIfWalking(BottomHalfImpl bh) {
        if (walker == Thread.currentThread()) {
            bh.epoch = epoch;
        }
    }

    /**
     * After setting SCHEDULED: if close has begun, the closing walk may not see the bit.
     * Take it back if it was ours and still set, and tell the caller.
     */
    private void takeBackIfClosed(BottomHalfImpl bh, int old) {
        if (!(boolean) CLOSED.getVolatile(this)) {
            return;
        }
        if ((old & BhFlags.SCHEDULED) == 0) {
            bh.clearFlags(BhFlags.SCHEDULED);
        }
        throw closed();
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("context is closed");
    }

    @Override
    public void delete(BottomHalfImpl bh) {
        bh.orFlags(BhFlags.PENDING | BhFlags.DELETED);
    }

    @Override
    public boolean runScheduled(LoopCounters counters) {
        boolean progress = false;
        boolean sawDead = false;
        walking++;
        maxWalking = Math.max(maxWalking, walking);
        long walkEpoch = ++epoch;
        walker = Thread.currentThread();
        try {
            // Pairs with the CAS in create(): we see each BH's fields and next link.
            for (BottomHalfImpl bh = (BottomHalfImpl) FIRST.getAcquire(this); bh != null; bh = bh.next) {
                int flags = bh.flags();
                if ((flags & BhFlags.PENDING) != 0 && bh.epoch < walkEpoch) {
                    progress |= dequeueAndRun(bh, counters);
                    flags = bh.flags();
                }
                sawDead |= (flags & BhFlags.DELETED) != 0;
            }
        } finally {
            if (--walking == 0) {
                walker = null;
            }
        }
        if (sawDead && walking == 0) {
            unlinkDead();
        }
        return progress;
    }

    private boolean dequeueAndRun(BottomHalfImpl bh, LoopCounters counters) {
        // Pairs with the or-operation in enqueue(): the callback sees every write made
        // before schedule(), and a schedule after this point makes it run again.
        int old = bh.clearFlags(BhFlags.CLEARED_ON_DEQUEUE);
        counters.bhDequeued++;
        if ((old & BhFlags.ONESHOT) != 0) {
            bh.orFlags(BhFlags.DELETED);
        }
        if (!BhFlags.shouldRun(old)) {
            return false;
        }
        counters.bhRuns++;
        bh.run();
        return (old & BhFlags.IDLE) == 0;
    }

    /** Unlinks DELETED BHs. Home thread, only when no walk is in progress. */
    private void unlinkDead() {
        BottomHalfImpl head;
        // Producers only ever CAS the head, so removing a dead head needs a CAS too.
        while ((head = (BottomHalfImpl) FIRST.getVolatile(this)) != null && isDead(head)) {
            if (FIRST.compareAndSet(this, head, head.next)) {
                forget(head);
            }
        }
        if (head == null) {
            return;
        }
        // Interior links belong to the home thread alone: plain writes.
        BottomHalfImpl prev = head;
        for (BottomHalfImpl bh = prev.next; bh != null; bh = prev.next) {
            if (isDead(bh)) {
                prev.next = forget(bh);
            } else {
                prev = bh;
            }
        }
    }

    /** Unlinks a dead BH for good: it is on no list any more, so it is not PENDING either. */
    private static BottomHalfImpl forget(BottomHalfImpl bh) {
        bh.clearFlags(BhFlags.PENDING);
        return bh.next;
    }

    private static boolean isDead(BottomHalfImpl bh) {
        return (bh.flags() & BhFlags.DELETED) != 0;
    }

    @Override
    public void closeAndRunLast(LoopCounters counters) {
        CLOSED.setVolatile(this, true);
        // Two clean walks: the second runs what the first deferred (made pending during it,
        // by a schedule that saw the scheduler still open); later schedules throw.
        BhScheduler.runDespiteFailures(() -> runScheduled(counters), 2);
    }

    @Override
    public int readiness() {
        return BhScheduler.readinessOf((BottomHalfImpl) FIRST.getAcquire(this), null);
    }

    @Override
    public void collectPending(List<PendingBottomHalf> out) {
        for (BottomHalfImpl bh = (BottomHalfImpl) FIRST.getAcquire(this); bh != null; bh = bh.next) {
            int flags = bh.flags();
            if ((flags & BhFlags.PENDING) != 0) {
                out.add(new PendingBottomHalf(bh.name(), BhFlags.toSet(flags), BhQueue.LIST, 0, bh.owner()));
            }
        }
    }

    @Override
    public long created() {
        long alive = 0;
        for (BottomHalfImpl bh = (BottomHalfImpl) FIRST.getAcquire(this); bh != null; bh = bh.next) {
            if (!isDead(bh)) {
                alive++;
            }
        }
        return alive;
    }

    @Override
    public int sliceDepth() {
        return walking;
    }

    @Override
    public int maxSliceDepth() {
        return maxWalking;
    }
}
