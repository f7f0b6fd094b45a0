package org.hvkit.aio.impl;

import java.util.Arrays;

/**
 * The event notifiers of one context, as a copy-on-write array so that the loop walks
 * them without a lock or an iterator.
 *
 * <p>Thread-safety: {@link #add} and {@link #remove} from any thread under this object's
 * monitor (rare); {@link #runSet()} and {@link #anySet()} in the home thread, lock-free.
 */
final class NotifierRegistry {

    private static final EventNotifierImpl[] NONE = new EventNotifierImpl[0];

    /** Replaced whole under the monitor; read with a volatile load by the loop. */
    private volatile EventNotifierImpl[] notifiers = NONE;

    synchronized void add(EventNotifierImpl notifier) {
        EventNotifierImpl[] grown = Arrays.copyOf(notifiers, notifiers.length + 1);
        grown[grown.length - 1] = notifier;
        notifiers = grown;
    }

    synchronized void remove(EventNotifierImpl notifier) {
        EventNotifierImpl[] current = notifiers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == notifier) {
                EventNotifierImpl[] shrunk = new EventNotifierImpl[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                notifiers = current.length == 1 ? NONE : shrunk;
                return;
            }
        }
    }

    /**
     * Runs the handler of every set notifier. Home thread.
     *
     * @return how many ran
     */
    int runSet() {
        EventNotifierImpl[] current = notifiers;
        int ran = 0;
        for (EventNotifierImpl notifier : current) {
            if (notifier.runIfSet()) {
                ran++;
            }
        }
        return ran;
    }

    boolean anySet() {
        for (EventNotifierImpl notifier : notifiers) {
            if (notifier.isSet()) {
                return true;
            }
        }
        return false;
    }


    synchronized void clear() {
        notifiers = NONE;
    }
}
