package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The set event notifiers of one context, as a lock-free list of ready ones: a notifier
 * is pushed when it becomes set, and the loop visits only those, never the idle ones (as
 * an epoll set reports only the eventfds that fired). A context with thousands of queues
 * therefore pays per kick, not per queue.
 *
 * <p>A notifier is on the list at most once, guarded by its {@code queued} flag; its
 * {@code next} link is written by the pusher before the publishing CAS and read by the loop
 * after the exchange that takes the list. Level-triggered, as an eventfd: a handler that
 * leaves its notifier set is run again in the next poll.
 *
 * <p>Thread-safety: {@link #push} from any thread, lock-free; {@link #runSet()} in the home
 * thread; {@link #anySet()} and {@link #clear()} from any thread.
 */
final class NotifierRegistry {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(NotifierRegistry.class, "head", EventNotifierImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ready notifiers, newest first (a Treiber stack); taken whole by the loop. */
    @SuppressWarnings("unused")
    private volatile EventNotifierImpl head;
    private volatile boolean cleared;

    /** Pushes {@code notifier}, which the caller has just marked queued. Any thread. */
    void push(EventNotifierImpl notifier) {
        if (cleared) {
            return; // the context is closed: nothing will run it
        }
        EventNotifierImpl current;
        do {
            current = (EventNotifierImpl) HEAD.getVolatile(this);
            notifier.next = current; // published by the CAS below
        } while (!HEAD.compareAndSet(this, current, notifier));
    }

    /**
     * Runs the handler of every notifier pushed since the last call, oldest first, if it is
     * still set and open. Home thread.
     *
     * @return how many ran
     */
    int runSet() {
        // A poll with no notifier set costs a read, not an exchange (a locked instruction):
        // a push after the read is taken by the next poll, and the loop looks at anySet()
        // before it sleeps, as it would for a push after the exchange.
        if (HEAD.getVolatile(this) == null) {
            return 0;
        }
        EventNotifierImpl taken = (EventNotifierImpl) HEAD.getAndSet(this, null);
        if (taken == null) {
            return 0;
        }
        // Reverse the stack, so that the notifier set first runs first.
        EventNotifierImpl oldest = null;
        while (taken != null) {
            EventNotifierImpl next = taken.next;
            taken.next = oldest;
            oldest = taken;
            taken = next;
        }
        int ran = 0;
        try {
            while (oldest != null) {
                EventNotifierImpl notifier = oldest;
                oldest = notifier.next;
                notifier.next = null;
                // Off the list before its flag is read: a set that comes after this pushes it
                // again, so nothing set from here on is missed (pairs with the setter's CAS).
                notifier.dequeued();
                try {
                    if (notifier.runIfSet()) {
                        ran++;
                    }
                } finally {
                    notifier.requeueIfStillSet();
                }
            }
        } finally {
            // A handler threw: the ones not visited yet are still marked queued; put them
            // back so that the next poll runs them.
            while (oldest != null) {
                EventNotifierImpl notifier = oldest;
                oldest = notifier.next;
                push(notifier);
            }
        }
        return ran;
    }

    /** True if a notifier is waiting to be run. May be a moment stale. */
    boolean anySet() {
        return HEAD.getVolatile(this) != null;
    }

    /** The context closed: drop the waiting notifiers and refuse new ones. */
    void clear() {
        cleared = true;
        HEAD.setVolatile(this, null);
    }
}
