package org.hvkit.block.virtio.blk;

import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A RAM backend that completes reads in a later poll of a context, as an asynchronous
 * backend would; reads stay pending while {@link #hold} is set.
 */
final class DeferredBackend implements BlockBackend {

    private final RamBackend ram;
    private AioContext context;
    volatile boolean hold;

    DeferredBackend(long capacity) {
        this.ram = new RamBackend(capacity, false);
    }

    /** The context completions return in; set before the first request. */
    void context(AioContext c) {
        this.context = c;
    }

    @Override
    public long capacity() {
        return ram.capacity();
    }

    @Override
    public boolean isReadOnly() {
        return false;
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

    @Override
    public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        ram.write(memory, iov, offset, done);
    }

    @Override
    public void flush(BlockCompletion done) {
        ram.flush(done);
    }

    @Override
    public void discard(long offset, long length, BlockCompletion done) {
        ram.discard(offset, length, done);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
        ram.writeZeroes(offset, length, mayUnmap, done);
    }
}
