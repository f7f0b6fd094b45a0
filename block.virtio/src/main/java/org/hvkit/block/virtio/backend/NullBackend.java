package org.hvkit.block.virtio.backend;

import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A backend without data, like QEMU's {@code null-co} without {@code read-zeroes}: every
 * operation inside the capacity completes OK at once and touches nothing. Reads leave the
 * guest buffers as they were (zeroing them would cost a memory pass per read, and this
 * backend exists to measure the device, not storage). For benchmarks.
 *
 * <p>Allocation: none per operation. Thread-safety: immutable; any thread.
 */
public final class NullBackend implements BlockBackend {

    private final long capacity;
    private final boolean readOnly;

    /**
     * Creates the backend.
     *
     * @param capacity the size in bytes, a positive multiple of 512
     * @param readOnly true to fail writes, discards and write-zeroes
     */
    public NullBackend(long capacity, boolean readOnly) {
        if (capacity <= 0 || capacity % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("capacity must be a positive multiple of 512: " + capacity);
        }
        this.capacity = capacity;
        this.readOnly = readOnly;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        done.complete(inRange(offset, iov.size()) ? BlockCompletion.OK : BlockCompletion.IO_ERROR);
    }

    @Override
    public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        modify(offset, iov.size(), done);
    }

    @Override
    public void flush(BlockCompletion done) {
        done.complete(BlockCompletion.OK);
    }

    @Override
    public void discard(long offset, long length, BlockCompletion done) {
        modify(offset, length, done);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
        modify(offset, length, done);
    }

    private void modify(long offset, long length, BlockCompletion done) {
        done.complete(!readOnly && inRange(offset, length) ? BlockCompletion.OK : BlockCompletion.IO_ERROR);
    }

    @Override
    public String toString() {
        return "NullBackend[capacity=" + capacity + (readOnly ? ", read-only]" : "]");
    }
}
