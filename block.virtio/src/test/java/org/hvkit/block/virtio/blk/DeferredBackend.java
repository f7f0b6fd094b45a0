package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.ForwardingBackend;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A RAM backend that completes reads in a later poll of a context, as an asynchronous
 * backend would; reads stay pending while {@link #hold} is set.
 */
final class DeferredBackend extends ForwardingBackend {

    private AioContext context;
    volatile boolean hold;

    DeferredBackend(long capacity) {
        super(capacity);
    }

    /** The context completions return in; set before the first request. */
    void context(AioContext c) {
        this.context = c;
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        complete(() -> ram.read(memory, iov, offset, done));
    }

    /** Reschedules itself while held, so a waiting poll keeps making progress. */
    private void complete(Runnable io) {
        context.scheduleOneshot("deferred", () -> {
            if (hold) {
                complete(io);
            } else {
                io.run();
            }
        });
    }
}
