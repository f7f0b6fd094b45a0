package org.hvkit.block.virtio.blk;

import java.nio.channels.SelectableChannel;

/**
 * A queue's kicks as a channel the queue's context waits on itself, as QEMU's IOThread waits
 * on a vhost-user kick eventfd: a kick costs the loop's own wake-up and one read, with no
 * thread in between. The queue registers the channel for {@link java.nio.channels.SelectionKey#OP_READ}
 * in whichever context serves it, and moves the registration when the queue moves.
 *
 * <p>Ownership: the transport owns the source and closes its channel once the queue no longer
 * uses it ({@link VirtioBlkDevice#kickSource} with another source or null); a JDK channel
 * closed while a selector holds it is released by that selector, so the close may come from
 * any thread.
 *
 * <p>Thread-safety: {@link #channel()} from any thread; {@link #clear()} only in the thread
 * of the context the channel is registered with.
 */
public interface KickSource {

    /**
     * The channel that is readable while kicks are pending; non-blocking.
     *
     * @return the channel
     */
    SelectableChannel channel();

    /**
     * Consumes the pending kicks, so the channel is not readable until the next one. Never
     * blocks, allocates nothing and throws nothing.
     */
    void clear();
}
