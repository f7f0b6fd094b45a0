package org.hvkit.block.virtio.queue;

import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * Where a split virtqueue lives in guest memory: its size and the guest-physical addresses
 * of the descriptor table, the available ring and the used ring (virtio 1.2 §2.7). Both the
 * device ({@link SplitVirtqueue}) and the driver model compute field addresses here, so the
 * two sides cannot disagree on the layout.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param size the queue size, a power of two from 1 to 32768
 * @param descTable the descriptor table, {@code 16 * size} bytes
 * @param availRing the available ring, {@code 6 + 2 * size} bytes (with used_event)
 * @param usedRing the used ring, {@code 6 + 8 * size} bytes (with avail_event)
 */
public record RingLayout(int size, long descTable, long availRing, long usedRing) {

    /**
     * Checks the size.
     *
     * @throws IllegalArgumentException if the size is not a power of two in 1..32768
     */
    public RingLayout {
        if (size < 1 || size > VirtioRing.MAX_QUEUE_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("queue size must be a power of two from 1 to 32768: " + size);
        }
    }

    /**
     * Lays the three parts out one after the other from {@code base}, each aligned as the
     * spec requires (16, 2 and 4 bytes).
     *
     * @param base the first guest address, 16-byte aligned
     * @param size the queue size
     * @return the layout
     */
    public static RingLayout contiguous(long base, int size) {
        long avail = base + (long) VirtioRing.DESC_SIZE * size;
        long used = (avail + availBytes(size) + 3) & ~3L;
        return new RingLayout(size, base, avail, used);
    }

    /**
     * The bytes the three parts take when laid out by {@link #contiguous}.
     *
     * @param size the queue size
     * @return an upper bound of the span from base to the end of the used ring
     */
    public static long totalBytes(int size) {
        return (long) VirtioRing.DESC_SIZE * size + availBytes(size) + 3 + usedBytes(size);
    }

    /** Bytes of the available ring, including used_event. */
    static long availBytes(int size) {
        return 6L + 2L * size;
    }

    /** Bytes of the used ring, including avail_event. */
    static long usedBytes(int size) {
        return 6L + (long) VirtioRing.USED_ELEM_SIZE * size;
    }

    /**
     * Tells whether all three parts lie in guest RAM.
     *
     * @param memory the guest memory
     * @return true if the device may use this layout
     */
    public boolean fitsIn(GuestMemory memory) {
        return memory.contains(descTable, (long) VirtioRing.DESC_SIZE * size)
                && memory.contains(availRing, availBytes(size))
                && memory.contains(usedRing, usedBytes(size));
    }

    /**
     * Tells whether the used ring shares bytes with the descriptor table or the available
     * ring. The device writes the used ring; if it overlaps what the device reads, its own
     * pushes rewrite descriptors, heads or avail->idx, and a guest can make one kick pop
     * without end. Call only for a layout that {@linkplain #fitsIn fits} guest RAM, so that no
     * end address overflows.
     *
     * @return true if the device must refuse the layout
     */
    public boolean usedRingOverlaps() {
        long usedEnd = usedRing + usedBytes(size);
        return overlaps(descTable, descTable + (long) VirtioRing.DESC_SIZE * size, usedRing, usedEnd)
                || overlaps(availRing, availRing + availBytes(size), usedRing, usedEnd);
    }

    private static boolean overlaps(long from, long to, long otherFrom, long otherTo) {
        return from < otherTo && otherFrom < to;
    }

    /** The address of descriptor {@code index} (below the size) in the direct table. */
    public long descriptor(int index) {
        return descTable + (long) VirtioRing.DESC_SIZE * index;
    }

    /** The address of avail->flags. */
    public long availFlags() {
        return availRing;
    }

    /** The address of avail->idx. */
    public long availIdx() {
        return availRing + 2;
    }

    /** The address of avail->ring slot for free-running index {@code ringIndex}. */
    public long availSlot(int ringIndex) {
        return availRing + 4 + 2L * (ringIndex & (size - 1));
    }

    /** The address of used_event, after avail->ring. */
    public long usedEvent() {
        return availRing + 4 + 2L * size;
    }

    /** The address of used->flags. */
    public long usedFlags() {
        return usedRing;
    }

    /** The address of used->idx. */
    public long usedIdx() {
        return usedRing + 2;
    }

    /** The address of the used->ring element for free-running index {@code ringIndex}. */
    public long usedSlot(int ringIndex) {
        return usedRing + 4 + (long) VirtioRing.USED_ELEM_SIZE * (ringIndex & (size - 1));
    }

    /** The address of avail_event, after used->ring. */
    public long availEvent() {
        return usedRing + 4 + (long) VirtioRing.USED_ELEM_SIZE * size;
    }
}
