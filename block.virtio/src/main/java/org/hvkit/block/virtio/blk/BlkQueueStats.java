package org.hvkit.block.virtio.blk;

/**
 * What the monitor shows of one virtio-blk queue at one moment.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param kicks driver notifications received (notifyQueue calls)
 * @param requests requests popped from the available ring
 * @param interruptsSent queue interrupts raised to the guest
 * @param interruptsSuppressed interrupt decisions where the guest asked for none
 * @param inFlight requests submitted to the backend and not yet completed
 */
public record BlkQueueStats(long kicks, long requests, long interruptsSent, long interruptsSuppressed,
        int inFlight) {
}
