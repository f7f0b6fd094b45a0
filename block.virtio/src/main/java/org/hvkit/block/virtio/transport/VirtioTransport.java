package org.hvkit.block.virtio.transport;

/**
 * What a driver sees of a virtio device: the common configuration of virtio-pci reduced to
 * its operations. The in-process transport calls the device directly; vhost-user maps the
 * same operations to protocol messages.
 *
 * <p>Thread-safety: configuration operations (features, status, config space, queue setup)
 * from one driver thread at a time, serialised by the device; {@link #notifyQueue(int)} from
 * any thread at any time, never blocking, like a doorbell write.
 */
public interface VirtioTransport {

    /**
     * The features the device offers.
     *
     * @return feature bits
     */
    long deviceFeatures();

    /**
     * The features the driver accepts; takes effect when the driver sets FEATURES_OK.
     *
     * @param features feature bits
     */
    void driverFeatures(long features);

    /**
     * The device status byte.
     *
     * @return ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, NEEDS_RESET, FAILED bits
     */
    int status();

    /**
     * Writes the device status; 0 resets the device.
     *
     * @param status the new status bits
     */
    void status(int status);

    /**
     * Reads the device-specific configuration space.
     *
     * @param offset byte offset
     * @param width 1, 2, 4 or 8
     * @return the little-endian value, all ones where nothing is
     */
    long readConfig(int offset, int width);

    /**
     * Queues the device has.
     *
     * @return the number of virtqueues
     */
    int numQueues();

    /**
     * The largest queue size the device accepts.
     *
     * @return a power of two
     */
    int maxQueueSize();

    /**
     * Places one virtqueue in guest memory; the queue starts serving once the driver sets
     * DRIVER_OK.
     *
     * @param index the queue index
     * @param size the queue size, a power of two up to {@link #maxQueueSize()}
     * @param descriptorTable guest address of the descriptor table
     * @param availRing guest address of the available ring
     * @param usedRing guest address of the used ring
     */
    void setUpQueue(int index, int size, long descriptorTable, long availRing, long usedRing);

    /**
     * The driver's kick: buffers were added to queue {@code index}. Any thread; never
     * blocks; an out-of-range index is ignored.
     *
     * @param index the queue index
     */
    void notifyQueue(int index);

    /**
     * Where the device sends interrupts. Set by the driver before DRIVER_OK.
     *
     * @param sink the driver's interrupt handler
     */
    void interrupts(InterruptSink sink);
}
