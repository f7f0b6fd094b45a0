package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;

/**
 * A bottom half: a callback, a name and one flag word. Which list it sits on and how it
 * gets there is the business of its {@link BhScheduler}.
 *
 * <p>Thread-safety: the public methods from any thread, lock-free. {@link #next} belongs
 * to the scheduler's lists (see there); {@link #run()} only from the context's poll.
 */
public final class BottomHalfImpl implements BottomHalf {

    private static final VarHandle FLAGS;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FLAGS = lookup.findVarHandle(BottomHalfImpl.class, "flags", int.class);
            NEXT = lookup.findVarHandle(BottomHalfImpl.class, "next", BottomHalfImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Not final, so that the sliced scheduler can reuse a oneshot it has run (see reuse()).
    // Published with the BH itself: by the CAS that links it on a list, or in the home thread.
    private String name;
    private Runnable callback;
    private String owner;
    private final BhScheduler scheduler;
    private final AioContextImpl context;

    /** The state word; only touched through {@link #FLAGS}. */
    @SuppressWarnings("unused")
    private volatile int flags;

    /**
     * The link of the scheduler's singly-linked lists. Written before the CAS that
     * publishes this BH on a list, read after the exchange or acquire read that takes it.
     */
    BottomHalfImpl next;

    /**
     * The linear scheduler's walk epoch when a callback of that walk made this BH PENDING;
     * unused by the sliced scheduler. Home thread only.
     */
    long epoch;

    BottomHalfImpl(String name, Runnable callback, String owner, int initialFlags,
            BhScheduler scheduler, AioContextImpl context) {
        this.name = Objects.requireNonNull(name, "name");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.owner = owner;
        this.scheduler = scheduler;
        this.context = context;
        FLAGS.set(this, initialFlags);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AioContext context() {
        return context;
    }

    /** The symbolic name of the bundle that created this BH, or empty. */
    String owner() {
        return owner;
    }

    @Override
    public void schedule() {
        scheduleWith(BhFlags.SCHEDULED);
    }

    @Override
    public void scheduleIdle() {
        scheduleWith(BhFlags.SCHEDULED | BhFlags.IDLE);
    }

    private void scheduleWith(int newFlags) {
        // No read of the flags first: the loop wrote this BH's line last (its dequeue), and a
        // read would fetch the line to share it, then the or-operation fetch it again to own
        // it. A deleted BH is refused below, from the flags the or-operation returns.
        // From the home thread the loop is not blocked (it runs this code) and looks at its
        // lists before it next sleeps: no wake-up, and the scheduler may take a cheaper path.
        boolean home = context.inContextThread();
        int old = home ? scheduler.enqueueFromHome(this, newFlags) : scheduler.enqueue(this, newFlags);
        if ((old & BhFlags.DELETED) != 0) {
            // Deleted before or while we scheduled it: the scheduler forgets a DELETED BH on
            // dequeue without running it, so the push (if any) is harmless. The caller still
            // learns of the misuse.
            throw deleted();
        }
        if (!home) {
            context.notifyLoop();
        }
    }

    private IllegalStateException deleted() {
        return new IllegalStateException("bottom half '" + name + "' of context '"
                + context.name() + "' was deleted");
    }

    @Override
    public void cancel() {
        // Pairs with the or-operation of enqueue: clears only SCHEDULED; a BH that stays
        // PENDING is dequeued and, seeing no SCHEDULED, simply not run.
        FLAGS.getAndBitwiseAnd(this, ~BhFlags.SCHEDULED);
    }

    @Override
    public void delete() {
        scheduler.delete(this);
    }

    @Override
    public boolean isScheduled() {
        return (flags() & (BhFlags.SCHEDULED | BhFlags.DELETED)) == BhFlags.SCHEDULED;
    }

    /** The flag word, volatile read. Any thread. */
    int flags() {
        return (int) FLAGS.getVolatile(this);
    }

    /**
     * The flag word, plain read. Home thread, on a BH it has just taken off a list: the
     * ONESHOT bit never changes, and a oneshot's other bits only the home thread touches
     * once it is linked (no caller holds a oneshot).
     */
    int flagsTaken() {
        return (int) FLAGS.get(this);
    }

    /**
     * Sets bits with one atomic or-operation (volatile). Any thread.
     *
     * @return the flags before
     */
    int orFlags(int bits) {
        return (int) FLAGS.getAndBitwiseOr(this, bits);
    }

    /**
     * Clears bits with one atomic and-operation (volatile). Any thread.
     *
     * @return the flags before
     */
    int clearFlags(int bits) {
        return (int) FLAGS.getAndBitwiseAnd(this, ~bits);
    }

    /**
     * Unlinks this BH from a list another thread pushed it on, with one exchange: returns
     * {@link #next} and leaves null there. The pushing thread last wrote this BH's line (its
     * or-operation and the link); a read of {@code next} would fetch the line to share it and
     * the dequeue's and-operation would then fetch it again to own it, a second round trip
     * between the cores per BH. The exchange fetches it to own at once, and the and-operation
     * that follows finds it here. Only the home thread, on a BH it has taken off a list and
     * whose PENDING it has not yet cleared: until then no other thread writes {@code next}.
     */
    BottomHalfImpl takeNext() {
        return (BottomHalfImpl) NEXT.getAndSet(this, (BottomHalfImpl) null);
    }

    /**
     * Makes a oneshot that has run a new oneshot: it was never handed out, so no other thread
     * holds it. Only the home thread, before it links the BH.
     */
    void reuse(String name, Runnable callback, String owner, int initialFlags) {
        Objects.requireNonNull(name, "name");
        // A reference store pays the collector's write barrier; a caller reusing oneshots
        // mostly passes the same name and owner again, so those are stored only if they differ.
        if (this.name != name) {
            this.name = name;
        }
        if (this.owner != owner) {
            this.owner = owner;
        }
        Objects.requireNonNull(callback, "callback");
        // The spare keeps its last callback until the loop next waits (see
        // SlicedScheduler.releaseSpares()), so a caller reusing one task stores nothing here.
        if (this.callback != callback) {
            this.callback = callback;
        }
        FLAGS.set(this, initialFlags);
    }

    /** Drops the callback of a spent oneshot kept for reuse, so it holds nothing alive. Home thread. */
    void release() {
        callback = null;
    }

    /** Runs the callback. Only from the context's poll, in its home thread. */
    void run() {
        callback.run();
    }

    @Override
    public String toString() {
        return "BottomHalf[" + name + (context == null ? "" : " @" + context.name()) + "]";
    }
}
