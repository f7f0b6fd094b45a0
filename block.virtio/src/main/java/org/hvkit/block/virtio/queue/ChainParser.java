package org.hvkit.block.virtio.queue;

import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * Walks one descriptor chain, direct or through an indirect table, and checks it as
 * strictly as QEMU's {@code virtqueue_split_pop}: every rule a malformed or hostile chain
 * can break yields a reason, which the queue turns into BROKEN.
 *
 * <p>The walk is bounded: at most {@code size} descriptors in the direct table, at most the
 * table length in an indirect one, and at most {@code size} segments in all (the element's
 * capacity), so a looping chain ends. A chain of direct descriptors may end in one indirect
 * descriptor (virtio 1.2 §2.7.5.3.2: "zero or more normal chained descriptors followed by a
 * single descriptor with flags&amp;VIRTQ_DESC_F_INDIRECT").
 *
 * <p>A buffer must lie inside one guest memory region; one that spans two adjacent regions
 * is refused (real guests have a hole between RAM slots, so their buffers never do).
 *
 * <p>Thread-safety: only the queue's home thread (its AioContext) calls it.
 */
final class ChainParser {

    /** CVE-2016-7422: cap a chain's total length; the spec forbids chains of 2^32 bytes or more. */
    static final long MAX_CHAIN_BYTES = 0xffff_ffffL;

    static final String LOOP = "descriptor chain loops or is longer than its table";
    static final String TOO_LONG = "descriptor chain longer than the queue size";
    static final String NEXT_OUT_OF_RANGE = "descriptor next index out of range";
    static final String INDIRECT_NOT_NEGOTIATED = "indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC";
    static final String INDIRECT_NESTED = "indirect descriptor inside an indirect table";
    static final String INDIRECT_WITH_NEXT = "indirect descriptor with VIRTQ_DESC_F_NEXT";
    static final String INDIRECT_BAD_LENGTH = "indirect table length 0 or not a multiple of 16";
    static final String INDIRECT_OUTSIDE_RAM = "indirect table outside guest RAM";
    static final String ZERO_LENGTH = "zero-length buffer";
    static final String BUFFER_OUTSIDE_RAM = "buffer outside guest RAM";
    static final String TOO_MANY_BYTES = "descriptor chain of 2^32 bytes or more";
    static final String WRONG_ORDER = "readable descriptor after a writable one";

    private final GuestMemory memory;
    private final RingLayout layout;
    private final boolean indirectAllowed;

    ChainParser(GuestMemory memory, RingLayout layout, boolean indirectAllowed) {
        this.memory = memory;
        this.layout = layout;
        this.indirectAllowed = indirectAllowed;
    }

    /**
     * Fills {@code into} with the chain starting at {@code head}.
     *
     * <p>Reads of the direct table cannot fail (the queue checked it lies in RAM), nor of an
     * indirect one (checked here); a {@code GuestMemoryException} would still only reach
     * the queue, which turns it into BROKEN.
     *
     * @param head a head index below the queue size
     * @param into the element to fill
     * @return null if the chain is valid, else why not
     */
    String parse(int head, VirtqueueElement into) {
        into.clear(head);
        long table = layout.descTable();
        long entries = layout.size();
        boolean indirect = false;
        long index = head;
        long visited = 0;
        long total = 0;
        while (true) {
            if (++visited > entries) {
                return LOOP;
            }
            long desc = table + VirtioRing.DESC_SIZE * index;
            long addr = memory.readLong(desc);
            long len = Integer.toUnsignedLong(memory.readInt(desc + 8));
            int flags = memory.readShort(desc + 12) & 0xffff;
            int next = memory.readShort(desc + 14) & 0xffff;
            if ((flags & VirtioRing.DESC_F_INDIRECT) != 0) {
                String error = checkIndirect(indirect, flags, addr, len);
                if (error != null) {
                    return error;
                }
                // Continue at entry 0 of the table; its own walk is bounded by its length.
                table = addr;
                entries = len / VirtioRing.DESC_SIZE;
                indirect = true;
                index = 0;
                visited = 0;
                continue;
            }
            total += len;
            String error = checkBuffer(into, addr, len, flags, total);
            if (error != null) {
                return error;
            }
            if ((flags & VirtioRing.DESC_F_NEXT) == 0) {
                return null;
            }
            if (next >= entries) {
                return NEXT_OUT_OF_RANGE;
            }
            index = next;
        }
    }

    private String checkIndirect(boolean inIndirect, int flags, long addr, long len) {
        if (!indirectAllowed) {
            return INDIRECT_NOT_NEGOTIATED;
        }
        if (inIndirect) {
            return INDIRECT_NESTED;
        }
        if ((flags & VirtioRing.DESC_F_NEXT) != 0) {
            return INDIRECT_WITH_NEXT;
        }
        if (len == 0 || len % VirtioRing.DESC_SIZE != 0) {
            return INDIRECT_BAD_LENGTH;
        }
        // The device ignores DESC_F_WRITE on the descriptor that points at the table (§2.7.5.3.2).
        return memory.contains(addr, len) ? null : INDIRECT_OUTSIDE_RAM;
    }

    private String checkBuffer(VirtqueueElement into, long addr, long len, int flags, long total) {
        if (len == 0) {
            return ZERO_LENGTH; // CVE-2016-6490
        }
        // Each len is below 2^32 and there are at most 32768 of them: the sum cannot overflow a long.
        if (total > MAX_CHAIN_BYTES) {
            return TOO_MANY_BYTES;
        }
        if (!memory.contains(addr, len)) {
            return BUFFER_OUTSIDE_RAM;
        }
        boolean writable = (flags & VirtioRing.DESC_F_WRITE) != 0;
        if (!writable && into.writableCount() > 0) {
            return WRONG_ORDER;
        }
        return into.add(addr, len, writable) ? null : TOO_LONG;
    }
}
