package org.hvkit.aio;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A level-triggered notification flag, like an eventfd registered with
 * {@code aio_set_event_notifier}: while it is set, each poll of its context runs the
 * handler, which clears it with {@link #testAndClear()}.
 *
 * <p>Thread-safety: {@link #set()} from any thread, never blocks, and wakes the loop;
 * {@link #testAndClear()} normally from the handler; {@link #close()} from any thread.
 */
@ProviderType
public interface EventNotifier {

    /**
     * Sets the flag and wakes the context ({@code event_notifier_set}). Never throws: after
     * {@link #close()}, or once the context is closed, it only sets the flag, so a producer
     * racing a close (a device kick racing a hot swap, say) needs no check of its own.
     */
    void set();

    /**
     * Clears the flag ({@code event_notifier_test_and_clear}).
     *
     * @return whether it was set
     */
    boolean testAndClear();

    /** Unregisters the notifier; its handler never runs again after this returns in the home thread. */
    void close();

    /**
     * The notifier's name.
     *
     * @return the name given at creation
     */
    String name();
}
