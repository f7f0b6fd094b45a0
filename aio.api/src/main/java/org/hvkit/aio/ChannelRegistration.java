package org.hvkit.aio;

import java.nio.channels.SelectableChannel;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A channel registered with a context's selector.
 *
 * <p>Thread-safety: any thread. Changes made from another thread take effect by the
 * next poll; the loop is woken for them.
 */
@ProviderType
public interface ChannelRegistration extends AutoCloseable {

    /**
     * The registered channel.
     *
     * @return the channel
     */
    SelectableChannel channel();

    /**
     * The current interest set.
     *
     * @return {@link java.nio.channels.SelectionKey} bits
     */
    int interestOps();

    /**
     * Changes the interest set; 0 keeps the registration but stops handler calls.
     *
     * @param ops {@link java.nio.channels.SelectionKey} bits
     */
    void interestOps(int ops);

    /** Unregisters; the channel itself stays open. Idempotent. */
    @Override
    void close();
}
