package org.hvkit.block.virtio.fuzz;

import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.ForwardingBackend;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A RAM disk that the fuzz targets refill before every input, read-only or not as the device
 * sees it: a read-only one refuses the guest's writes as {@code RamBackend} does, while the
 * target still sets its contents.
 */
final class FuzzBackend extends ForwardingBackend {

    private final boolean readOnly;

    FuzzBackend(long capacity, boolean readOnly) {
        super(capacity);
        this.readOnly = readOnly;
    }

    /** Sets the whole disk to the bytes of {@code source} from address 0. */
    void refill(GuestMemory source) {
        IoVector all = new IoVector(1);
        all.add(0, capacity());
        int[] status = {-1};
        ram.write(source, all, 0, s -> status[0] = s);
        if (status[0] != BlockCompletion.OK) {
            throw new IllegalStateException("refill failed: " + status[0]);
        }
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        if (readOnly) {
            done.complete(BlockCompletion.IO_ERROR);
        } else {
            super.write(memory, iov, offset, done);
        }
    }

    @Override
    public void discard(long offset, long length, BlockCompletion done) {
        if (readOnly) {
            done.complete(BlockCompletion.IO_ERROR);
        } else {
            super.discard(offset, length, done);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
        if (readOnly) {
            done.complete(BlockCompletion.IO_ERROR);
        } else {
            super.writeZeroes(offset, length, mayUnmap, done);
        }
    }
}
