package org.hvkit.block.virtio.transport;

/**
 * The driver side of device interrupts (MSI-X vectors, or a vhost-user call eventfd).
 *
 * <p>Thread-safety: the device calls it from the thread of the queue's AioContext (queue
 * interrupts) or of the thread that changed the device's state (config changes); an
 * implementation must not block.
 */
public interface InterruptSink {

    /**
     * Used buffers were published on a queue.
     *
     * @param queue the queue index
     */
    void queueInterrupt(int queue);

    /** The configuration or the status changed, e.g. the device needs a reset. */
    void configChanged();
}
