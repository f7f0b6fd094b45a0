package org.hvkit.block.virtio.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Guest RAM as a set of non-overlapping regions addressed by guest-physical {@code long}
 * addresses. Every access is bounds-checked with overflow-safe arithmetic. A value (byte to
 * long) lies within one region; a bulk copy may run on across regions that adjoin, as a
 * guest buffer may cross the seam between two mappings of one RAM slot (a slot over 1 GiB
 * is mapped in pieces). Multi-byte values are little-endian, as virtio 1.x requires.
 *
 * <p>Thread-safety: the region table is immutable; accesses from several threads are as
 * safe as the guest's own: plain reads and writes, ordered by the fences the caller places
 * (see {@link #fence()}), like a device's DMA.
 */
public final class GuestMemory {

    private final MemoryRegion[] regions;

    private GuestMemory(MemoryRegion[] regions) {
        this.regions = regions;
    }

    /**
     * Builds guest memory from regions, which must not overlap.
     *
     * @param regions the regions, in any order
     * @return the guest memory
     * @throws IllegalArgumentException if two regions overlap
     */
    public static GuestMemory of(List<MemoryRegion> regions) {
        MemoryRegion[] sorted = regions.toArray(new MemoryRegion[0]);
        Arrays.sort(sorted, Comparator.comparingLong(MemoryRegion::guestAddress));
        for (int i = 1; i < sorted.length; i++) {
            MemoryRegion prev = sorted[i - 1];
            if (Long.compareUnsigned(prev.guestAddress() + prev.size(), sorted[i].guestAddress()) > 0) {
                throw new IllegalArgumentException("guest memory regions overlap: " + prev + " and " + sorted[i]);
            }
        }
        return new GuestMemory(sorted);
    }

    /**
     * Allocates one zeroed region of heap memory.
     *
     * @param guestAddress where it starts
     * @param size its size in bytes
     * @return the guest memory
     */
    public static GuestMemory allocate(long guestAddress, int size) {
        return of(List.of(new MemoryRegion(guestAddress, ByteBuffer.allocate(size))));
    }

    /**
     * Tells whether {@code [address, address + length)} lies inside one region.
     *
     * @param address the guest-physical address
     * @param length the length in bytes, 0 or more
     * @return true if an access there is allowed
     */
    public boolean contains(long address, long length) {
        return find(address, length) != null || spans(address, length);
    }

    public byte readByte(long address) {
        MemoryRegion r = require(address, 1);
        return r.buffer().get(r.offset(address));
    }

    public void writeByte(long address, byte value) {
        MemoryRegion r = require(address, 1);
        r.buffer().put(r.offset(address), value);
    }

    public short readShort(long address) {
        MemoryRegion r = require(address, 2);
        return r.buffer().getShort(r.offset(address));
    }

    public void writeShort(long address, short value) {
        MemoryRegion r = require(address, 2);
        r.buffer().putShort(r.offset(address), value);
    }

    public int readInt(long address) {
        MemoryRegion r = require(address, 4);
        return r.buffer().getInt(r.offset(address));
    }

    public void writeInt(long address, int value) {
        MemoryRegion r = require(address, 4);
        r.buffer().putInt(r.offset(address), value);
    }

    public long readLong(long address) {
        MemoryRegion r = require(address, 8);
        return r.buffer().getLong(r.offset(address));
    }

    public void writeLong(long address, long value) {
        MemoryRegion r = require(address, 8);
        r.buffer().putLong(r.offset(address), value);
    }

    /**
     * Copies guest bytes out.
     *
     * @param address the guest-physical address
     * @param dst where to copy to
     * @param offset the first index in {@code dst}
     * @param length how many bytes
     */
    public void read(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        MemoryRegion r = find(address, length);
        if (r == null) {
            requireSpan(address, length);
            for (int done = 0; done < length; ) {
                long at = address + done;
                MemoryRegion p = find(at, 1);
                int n = pieceLength(p, at, length - done);
                p.buffer().get(p.offset(at), dst, offset + done, n);
                done += n;
            }
            return;
        }
        r.buffer().get(r.offset(address), dst, offset, length);
    }

    /**
     * Copies bytes into the guest.
     *
     * @param address the guest-physical address
     * @param src where to copy from
     * @param offset the first index in {@code src}
     * @param length how many bytes
     */
    public void write(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        MemoryRegion r = find(address, length);
        if (r == null) {
            requireSpan(address, length);
            for (int done = 0; done < length; ) {
                long at = address + done;
                MemoryRegion p = find(at, 1);
                int n = pieceLength(p, at, length - done);
                p.buffer().put(p.offset(at), src, offset + done, n);
                done += n;
            }
            return;
        }
        r.buffer().put(r.offset(address), src, offset, length);
    }

    /**
     * Copies guest bytes into a buffer at an absolute index, leaving the buffer's position
     * and limit alone: the bulk path of a RAM backend's read, with no intermediate array.
     *
     * @param address the guest-physical address
     * @param dst where to copy to
     * @param dstIndex the first index in {@code dst}
     * @param length how many bytes
     * @throws GuestMemoryException if the guest range is not inside guest RAM
     * @throws IndexOutOfBoundsException if {@code [dstIndex, dstIndex + length)} is not below
     *     {@code dst}'s limit
     */
    public void copyTo(long address, ByteBuffer dst, int dstIndex, int length) {
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(dstIndex, length, dst.limit());
        MemoryRegion r = find(address, length);
        if (r == null) {
            requireSpan(address, length);
            for (int done = 0; done < length; ) {
                long at = address + done;
                MemoryRegion p = find(at, 1);
                int n = pieceLength(p, at, length - done);
                dst.put(dstIndex + done, p.buffer(), p.offset(at), n);
                done += n;
            }
            return;
        }
        dst.put(dstIndex, r.buffer(), r.offset(address), length);
    }

    /**
     * Copies bytes from a buffer at an absolute index into the guest, leaving the buffer's
     * position and limit alone: the bulk path of a RAM backend's write.
     *
     * @param src where to copy from
     * @param srcIndex the first index in {@code src}
     * @param address the guest-physical address
     * @param length how many bytes
     * @throws GuestMemoryException if the guest range is not inside guest RAM
     * @throws IndexOutOfBoundsException if {@code [srcIndex, srcIndex + length)} is not below
     *     {@code src}'s limit
     */
    public void copyFrom(ByteBuffer src, int srcIndex, long address, int length) {
        Objects.requireNonNull(src, "src");
        Objects.checkFromIndexSize(srcIndex, length, src.limit());
        MemoryRegion r = find(address, length);
        if (r == null) {
            requireSpan(address, length);
            for (int done = 0; done < length; ) {
                long at = address + done;
                MemoryRegion p = find(at, 1);
                int n = pieceLength(p, at, length - done);
                p.buffer().put(p.offset(at), src, srcIndex + done, n);
                done += n;
            }
            return;
        }
        r.buffer().put(r.offset(address), src, srcIndex, length);
    }

    /**
     * A full fence, as the {@code virtio_mb()} between a device's ring writes and its reads
     * of the guest's event index.
     */
    public static void fence() {
        java.lang.invoke.VarHandle.fullFence();
    }

    private MemoryRegion require(long address, long length) {
        MemoryRegion r = find(address, length);
        if (r == null) {
            throw new GuestMemoryException(address, length);
        }
        return r;
    }

    /**
     * True if {@code [address, address + length)} runs across regions that adjoin, each
     * starting where the one before ends. Only the rare access that no single region holds
     * gets here.
     */
    private boolean spans(long address, long length) {
        if (length <= 0 || address < 0 || address + length < 0) {
            return false; // empty (a region holds it, or it is outside), or past 2^63
        }
        long at = address;
        long left = length;
        while (left > 0) {
            MemoryRegion r = find(at, 1);
            if (r == null) {
                return false;
            }
            long inRegion = Math.min(left, r.guestAddress() + r.size() - at);
            at += inRegion;
            left -= inRegion;
        }
        return true;
    }

    /** Throws unless {@code [address, address + length)} runs across adjoining regions. */
    private void requireSpan(long address, int length) {
        if (!spans(address, length)) {
            throw new GuestMemoryException(address, length);
        }
    }

    /**
     * How much of a copy across adjoining regions, at {@code at} with {@code left} bytes to
     * go, region {@code r} (the one holding {@code at}) holds. No allocation: a copy over a
     * seam is still on the request path.
     */
    private static int pieceLength(MemoryRegion r, long at, int left) {
        return (int) Math.min(left, r.guestAddress() + r.size() - at);
    }

    private MemoryRegion find(long address, long length) {
        if (length < 0) {
            return null;
        }
        // Few regions (a handful of RAM slots): a linear scan beats a search.
        for (MemoryRegion r : regions) {
            if (r.covers(address, length)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The regions, sorted by address.
     *
     * @return a copy of the region table
     */
    public List<MemoryRegion> regions() {
        return List.of(regions);
    }

    /** A little-endian duplicate of a buffer, so that callers' buffers keep their own state. */
    static ByteBuffer littleEndian(ByteBuffer buffer) {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear();
    }
}
