package org.hvkit.block.virtio.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * Detects device writes to guest RAM outside the ranges the device may write (used rings,
 * writable buffers of the chains it was given): a shadow copy follows every write the guest
 * makes, and {@link #foreignWrite()} compares RAM with it, skipping the allowed ranges.
 *
 * <p>Thread-safety: none; the fuzz target's thread only.
 */
final class GuestRamWatch {

    private static final int MAX_ALLOWED = 256;

    private final long base;
    private final byte[] shadow;
    /** The region's heap array, compared in place. */
    private final byte[] ram;
    private final int ramOffset;
    private final long[] allowedFrom = new long[MAX_ALLOWED];
    private final long[] allowedTo = new long[MAX_ALLOWED];
    private int allowedCount;

    /** Watches the single region of {@code memory}, which must be heap memory ({@link GuestMemory#allocate}). */
    GuestRamWatch(GuestMemory memory) {
        this.base = memory.regions().get(0).guestAddress();
        ByteBuffer buffer = memory.regions().get(0).buffer();
        this.ram = buffer.array();
        this.ramOffset = buffer.arrayOffset();
        this.shadow = new byte[buffer.capacity()];
        sync();
    }

    /** Takes RAM as it is now as the reference: after guest writes, and after accepted device writes. */
    void sync() {
        System.arraycopy(ram, ramOffset, shadow, 0, shadow.length);
    }

    /** Lets the device write {@code [address, address + length)}; any part outside RAM is irrelevant. */
    void allow(long address, long length) {
        if (allowedCount == MAX_ALLOWED) {
            throw new IllegalStateException("too many allowed ranges");
        }
        allowedFrom[allowedCount] = address;
        allowedTo[allowedCount] = address + Math.max(0, length);
        allowedCount++;
    }

    /** Forgets every allowed range. */
    void clearAllowed() {
        allowedCount = 0;
    }

    /**
     * Compares RAM with the reference.
     *
     * @return the guest address of the first byte that changed outside the allowed ranges, or -1
     */
    long foreignWrite() {
        int from = 0;
        while (from < shadow.length) {
            int i = Arrays.mismatch(ram, ramOffset + from, ramOffset + shadow.length, shadow, from, shadow.length);
            if (i < 0) {
                return -1;
            }
            long address = base + from + i;
            long end = allowedEnd(address);
            if (end == address) {
                return address;
            }
            // Skip the rest of the allowed range: the device may have written all of it.
            from = (int) Math.min(shadow.length, end - base);
        }
        return -1;
    }

    /** The end of the allowed range holding {@code address} that reaches furthest, or the address itself if none does. */
    private long allowedEnd(long address) {
        long end = address;
        for (int k = 0; k < allowedCount; k++) {
            if (Long.compareUnsigned(address, allowedFrom[k]) < 0) {
                continue;
            }
            // A range that wraps past the top of the address space covers the rest of RAM.
            long to = Long.compareUnsigned(allowedTo[k], allowedFrom[k]) < 0 ? Long.MAX_VALUE : allowedTo[k];
            if (Long.compareUnsigned(address, to) < 0 && to > end) {
                end = to;
            }
        }
        return end;
    }
}
