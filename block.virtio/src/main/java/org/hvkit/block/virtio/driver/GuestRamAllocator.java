package org.hvkit.block.virtio.driver;

/**
 * A bump allocator over one range of guest RAM, 16-byte aligned, as a guest driver's
 * {@code dma_alloc_coherent} would hand out ring memory. Nothing is freed one by one: the
 * driver restarts the whole range once the device has been reset and no longer touches it.
 *
 * <p>Thread-safety: none; the driver thread only.
 */
final class GuestRamAllocator {

    private final long base;
    private final long end;
    private long next;

    /**
     * Covers {@code [base, base + size)}.
     *
     * @param base the first address
     * @param size the bytes in the range
     */
    GuestRamAllocator(long base, long size) {
        this.base = base;
        this.end = base + size;
        this.next = base;
    }

    /**
     * Takes the next {@code bytes} bytes, 16-byte aligned.
     *
     * @param bytes the size
     * @return the guest address
     * @throws IllegalStateException if the range is exhausted
     */
    long allocate(long bytes) {
        long at = (next + 15) & ~15L;
        if (at + bytes > end) {
            throw new IllegalStateException("guest RAM range exhausted: " + bytes + " more bytes needed");
        }
        next = at + bytes;
        return at;
    }

    /** Starts again at the base: every earlier allocation is given up. */
    void restart() {
        next = base;
    }

    /** The bytes handed out since the last restart, alignment included. */
    long used() {
        return next - base;
    }
}
