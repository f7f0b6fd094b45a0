package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.ForwardingBackend;
import java.util.ArrayDeque;
import java.util.Queue;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A RAM backend whose reads wait, while {@link #park} is set, until the test calls
 * {@link #release()}: requests stay in flight as long as the test wants, on any queue.
 *
 * <p>Thread-safety: only for a fixture whose contexts are all polled by the test thread, the
 * home thread of every queue, which also calls {@link #release()}.
 */
final class ParkingBackend extends ForwardingBackend {

    private final Queue<Runnable> parked = new ArrayDeque<>();
    boolean park;

    ParkingBackend(long capacity) {
        super(capacity);
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        if (park) {
            parked.add(() -> ram.read(memory, iov, offset, done));
        } else {
            ram.read(memory, iov, offset, done);
        }
    }

    /** Reads waiting for {@link #release()}. */
    int parked() {
        return parked.size();
    }

    /** Stops parking and completes every parked read, oldest first. */
    void release() {
        park = false;
        for (Runnable r; (r = parked.poll()) != null; ) {
            r.run();
        }
    }
}
