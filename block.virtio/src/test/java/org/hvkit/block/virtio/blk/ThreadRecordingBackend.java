package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.ForwardingBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;

/** A RAM backend that remembers which thread read each sector. */
final class ThreadRecordingBackend extends ForwardingBackend {

    final Map<Long, Thread> readers = new ConcurrentHashMap<>();

    ThreadRecordingBackend(long capacity) {
        super(capacity);
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        readers.put(offset / SECTOR_SIZE, Thread.currentThread());
        ram.read(memory, iov, offset, done);
    }
}
