package org.hvkit.block.virtio.blk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.memory.GuestMemory;

/** A RAM backend that remembers which thread read each sector. */
final class ThreadRecordingBackend implements BlockBackend {

    final Map<Long, Thread> readers = new ConcurrentHashMap<>();
    private final RamBackend ram;

    ThreadRecordingBackend(long capacity) {
        this.ram = new RamBackend(capacity, false);
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
        readers.put(offset / SECTOR_SIZE, Thread.currentThread());
        ram.read(memory, iov, offset, done);
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
