package org.hvkit.block.virtio.blk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one queue. Kicks come from any thread; everything else is written by the
 * queue's home thread alone, so those fields need no read-modify-write atomics.
 *
 * <p>Thread-safety: {@link #kick()} from any thread; the other updates only from the queue's
 * context thread; {@link #snapshot()} from any thread (values may be a moment stale).
 */
final class BlkQueueCounters {

    private static final VarHandle KICKS;
    private static final VarHandle REQUESTS;
    private static final VarHandle SENT;
    private static final VarHandle SUPPRESSED;
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            KICKS = l.findVarHandle(BlkQueueCounters.class, "kicks", long.class);
            REQUESTS = l.findVarHandle(BlkQueueCounters.class, "requests", long.class);
            SENT = l.findVarHandle(BlkQueueCounters.class, "interruptsSent", long.class);
            SUPPRESSED = l.findVarHandle(BlkQueueCounters.class, "interruptsSuppressed", long.class);
            IN_FLIGHT = l.findVarHandle(BlkQueueCounters.class, "inFlight", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long kicks;
    private long requests;
    private long interruptsSent;
    private long interruptsSuppressed;
    private int inFlight;

    /** Any thread: several driver threads may kick one queue, hence an atomic add. */
    void kick() {
        KICKS.getAndAddRelease(this, 1L);
    }

    // Single writer (the home thread): a plain read and an opaque store are enough, and
    // opaque keeps 64-bit stores untorn for monitor readers on other threads.

    void request() {
        REQUESTS.setOpaque(this, requests + 1);
    }

    void interruptSent() {
        SENT.setOpaque(this, interruptsSent + 1);
    }

    void interruptSuppressed() {
        SUPPRESSED.setOpaque(this, interruptsSuppressed + 1);
    }

    void inFlight(int n) {
        IN_FLIGHT.setOpaque(this, n);
    }

    /** Reads each counter with opaque mode: fresh, untorn, not mutually consistent. */
    BlkQueueStats snapshot() {
        return new BlkQueueStats((long) KICKS.getOpaque(this), (long) REQUESTS.getOpaque(this),
                (long) SENT.getOpaque(this), (long) SUPPRESSED.getOpaque(this), (int) IN_FLIGHT.getOpaque(this));
    }
}
