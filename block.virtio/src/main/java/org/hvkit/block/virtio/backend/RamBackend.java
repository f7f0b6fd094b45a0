package org.hvkit.block.virtio.backend;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A backend held in one heap buffer sized to the capacity (so at most 2 GiB minus one
 * sector; larger RAM disks would need several chunks, left for later). Every operation
 * copies or fills synchronously and completes before it returns. Discard zeroes the range:
 * its contents may be anything, and zeroes are as cheap as anything and reproducible.
 *
 * <p>Allocation: none per operation; data moves with bulk copies between guest RAM and the
 * buffer ({@link GuestMemory#copyTo}/{@link GuestMemory#copyFrom}), no temporary arrays.
 *
 * <p>Thread-safety: any thread; only absolute buffer accesses are used, so concurrent
 * operations from several queues never disturb each other's state (overlapping data ranges
 * end in either order, as on a real disk).
 */
public final class RamBackend implements BlockBackend {

    /** The largest capacity one heap buffer holds, rounded down to whole sectors. */
    public static final long MAX_CAPACITY = Integer.MAX_VALUE & ~(long) (SECTOR_SIZE - 1);

    private final ByteBuffer data;
    private final boolean readOnly;

    /**
     * Creates a zeroed RAM disk.
     *
     * @param capacity the size in bytes, a positive multiple of 512, at most {@link #MAX_CAPACITY}
     * @param readOnly true to fail writes, discards and write-zeroes
     */
    public RamBackend(long capacity, boolean readOnly) {
        if (capacity <= 0 || capacity % SECTOR_SIZE != 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "capacity must be a positive multiple of 512 up to " + MAX_CAPACITY + ": " + capacity);
        }
        this.data = ByteBuffer.allocate((int) capacity);
        this.readOnly = readOnly;
    }

    @Override
    public long capacity() {
        return data.capacity();
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        if (!inRange(offset, iov.size())) {
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        // In range, so every position below fits an int.
        int at = (int) offset;
        for (int i = 0; i < iov.count(); i++) {
            int length = (int) iov.length(i);
            memory.copyFrom(data, at, iov.address(i), length);
            at += length;
        }
        done.complete(BlockCompletion.OK);
    }

    @Override
    public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        if (readOnly || !inRange(offset, iov.size())) {
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        int at = (int) offset;
        for (int i = 0; i < iov.count(); i++) {
            int length = (int) iov.length(i);
            memory.copyTo(iov.address(i), data, at, length);
            at += length;
        }
        done.complete(BlockCompletion.OK);
    }

    @Override
    public void flush(BlockCompletion done) {
        // Nothing to make durable: RAM is as durable as it gets.
        done.complete(BlockCompletion.OK);
    }

    @Override
    public void discard(long offset, long length, BlockCompletion done) {
        writeZeroes(offset, length, true, done);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
        if (readOnly || !inRange(offset, length)) {
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        int from = data.arrayOffset() + (int) offset;
        Arrays.fill(data.array(), from, from + (int) length, (byte) 0);
        done.complete(BlockCompletion.OK);
    }

    @Override
    public String toString() {
        return "RamBackend[capacity=" + data.capacity() + (readOnly ? ", read-only]" : "]");
    }
}
