package org.hvkit.block.virtio.memory;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One contiguous range of guest RAM backed by a buffer (heap, direct, or a mapping of a
 * shared memory file).
 *
 * @param guestAddress the guest-physical address of the first byte
 * @param buffer the backing bytes; the region keeps its own little-endian view
 */
public record MemoryRegion(long guestAddress, ByteBuffer buffer) {

    /** Checks the region and takes a little-endian view of the whole buffer. */
    public MemoryRegion {
        Objects.requireNonNull(buffer, "buffer");
        buffer = GuestMemory.littleEndian(buffer);
        if (guestAddress < 0 || guestAddress + buffer.capacity() < guestAddress) {
            throw new IllegalArgumentException(String.format(
                    "region at 0x%x of %d bytes does not fit the guest-physical address space",
                    guestAddress, buffer.capacity()));
        }
    }

    /**
     * The region's size.
     *
     * @return bytes
     */
    public long size() {
        return buffer.capacity();
    }

    /** Whether {@code [address, address + length)} is inside; no overflow for any inputs. */
    boolean covers(long address, long length) {
        long offset = address - guestAddress;
        return address >= guestAddress && offset <= size() && length <= size() - offset;
    }

    int offset(long address) {
        return (int) (address - guestAddress);
    }

    @Override
    public String toString() {
        return String.format("MemoryRegion[0x%x, %d bytes]", guestAddress, size());
    }
}
