package org.hvkit.block.virtio.api;

/**
 * One queue of a device at one moment, taken in the queue's context thread so the ring
 * indices agree with each other. Ring indices are the free-running 16-bit values of the
 * virtio specification; they are 0 while the queue is stopped, only the counters are
 * current when the state is {@link QueueState#BUSY}, and the indices are those the queue left
 * its context with when it is {@link QueueState#DETACHED}.
 *
 * @param index the queue index
 * @param context the name of the AioContext serving the queue
 * @param state where the queue stands
 * @param size the queue size the driver chose, 0 while stopped
 * @param availIdx the driver's available index as the device last read it
 * @param usedIdx the device's used index
 * @param lastAvailIdx the next available entry the device will take
 * @param inFlight requests handed to the backend and not yet completed
 * @param kicks notifications from the driver
 * @param requests requests taken from the ring
 * @param interrupts interrupts sent to the driver
 * @param interruptsSuppressed interrupts the driver asked not to get (flags or used_event)
 */
public record QueueSnapshot(int index, String context, QueueState state, int size, int availIdx, int usedIdx,
        int lastAvailIdx, int inFlight, long kicks, long requests, long interrupts, long interruptsSuppressed) {
}
