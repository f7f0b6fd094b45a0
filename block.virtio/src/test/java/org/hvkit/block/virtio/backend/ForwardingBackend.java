package org.hvkit.block.virtio.backend;

import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A writable RAM backend forwarding everything, for tests of every package: a subclass
 * overrides the operation it observes, delays or breaks.
 */
public class ForwardingBackend implements BlockBackend {

    protected final RamBackend ram;

    protected ForwardingBackend(long capacity) {
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
