package org.hvkit.aio;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a context runs when a registered channel is ready (QEMU's fd handlers).
 *
 * <p>Thread-safety: called only in the context's home thread.
 */
@ConsumerType
@FunctionalInterface
public interface ChannelHandler {

    /**
     * Handles readiness.
     *
     * @param registration the registration that became ready
     * @param readyOps the ready operations, {@link java.nio.channels.SelectionKey} bits
     */
    void ready(ChannelRegistration registration, int readyOps);
}
