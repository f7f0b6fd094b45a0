package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.LongAdder;

/**
 * QEMU's notify_me/notified protocol: a wake-up costs a system call
 * ({@link Selector#wakeup()}) only when the loop is blocked or about to block.
 *
 * <p>The loop raises {@code notifyMe} before its last look at the lists and lowers it after
 * the selector returns. A notifier first publishes its work (a BH on a list, a set flag),
 * then sets {@code notified}, then reads {@code notifyMe}. All four accesses are volatile,
 * so they are totally ordered: either the loop's last look sees the work or
 * {@code notified}, or the notifier sees {@code notifyMe} raised and wakes the selector.
 * No wake-up is lost.
 *
 * <p>Thread-safety: {@link #notifyLoop()} from any thread; the rest only in the home thread.
 */
final class LoopWakeup {

    private static final VarHandle NOTIFY_ME;
    private static final VarHandle NOTIFIED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NOTIFY_ME = lookup.findVarHandle(LoopWakeup.class, "notifyMe", int.class);
            NOTIFIED = lookup.findVarHandle(LoopWakeup.class, "notified", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Selector selector;
    private final LongAdder sent = new LongAdder();
    private final LongAdder elided = new LongAdder();

    /** 2 per blocking poll in progress (nested polls add up). Written by the home thread only. */
    @SuppressWarnings("unused")
    private volatile int notifyMe;

    /** Set by notifiers, cleared by the loop when it accepts them. */
    @SuppressWarnings("unused")
    private volatile boolean notified;

    /**
     * {@link System#nanoTime()} when a notifier last had to wake the blocked loop, 0 once the
     * loop has taken it ({@link #takeWakeUpTime()}). Written only on the wake-up path, which
     * pays a system call anyway.
     */
    private volatile long wakeUpAt;

    LoopWakeup(Selector selector) {
        this.selector = selector;
    }

    /**
     * Wakes the loop if it is or may be blocked ({@code aio_notify}). Any thread; never blocks
     * beyond the selector's own short wake-up lock.
     */
    void notifyLoop() {
        // If notified is already set, the loop either sees it before it blocks, or whoever
        // set it saw notifyMe raised and woke the selector: nothing more to do.
        if ((boolean) NOTIFIED.getVolatile(this)) {
            elided.increment();
            return;
        }
        // Volatile write then volatile read: pairs with beginBlocking()'s raise of notifyMe
        // followed by its read of notified and of the lists.
        NOTIFIED.setVolatile(this, true);
        if ((int) NOTIFY_ME.getVolatile(this) != 0) {
            wakeUpAt = System.nanoTime();
            selector.wakeup();
            sent.increment();
        } else {
            elided.increment();
        }
    }

    /**
     * Raises notifyMe before the loop's last look at the lists. Home thread.
     *
     * @return whether a notification is already there (then the loop must not block)
     */
    boolean beginBlocking() {
        // Volatile read-modify-write: ordered before the reads of notified and the lists.
        NOTIFY_ME.getAndAdd(this, 2);
        return (boolean) NOTIFIED.getVolatile(this);
    }

    /** Lowers notifyMe after the selector returned. Home thread. */
    void endBlocking() {
        NOTIFY_ME.getAndAdd(this, -2);
    }

    /**
     * Accepts notifications ({@code aio_notify_accept}): clears notified. The loop looks at
     * its lists after this and before it next sleeps, so a notification cleared here is for
     * work that look sees, and one after it keeps the loop from sleeping. Home thread.
     */
    void accept() {
        if ((boolean) NOTIFIED.getVolatile(this)) {
            NOTIFIED.setVolatile(this, false);
        }
    }

    /**
     * When the work that ended the last block arrived, if a notifier woke the loop, and forgets
     * it. Home thread.
     *
     * @return a {@link System#nanoTime()} value, or 0 if no notifier woke the loop
     */
    long takeWakeUpTime() {
        long at = wakeUpAt;
        if (at != 0) {
            wakeUpAt = 0;
        }
        return at;
    }

    /** Whether a notification is waiting; the busy-polling check. Home thread. */
    boolean isNotified() {
        return (boolean) NOTIFIED.getVolatile(this);
    }

    long sent() {
        return sent.sum();
    }

    long elided() {
        return elided.sum();
    }
}
