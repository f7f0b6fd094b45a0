package org.hvkit.block.virtio.queue;

import java.util.Objects;

/**
 * One descriptor chain taken from the available ring: its head index and its buffers as
 * (guest address, length) segments, the device-readable ones first, then the
 * device-writable ones (the order the queue enforces: a readable descriptor after a writable
 * one breaks the queue).
 *
 * <p>The segment arrays are allocated once, sized to the queue size (the longest legal
 * chain), and refilled by every pop: popping allocates nothing in steady state. A device
 * that keeps several requests in flight either copies what it needs before the next pop or
 * owns one element per request and pops into it ({@link SplitVirtqueue#pop(VirtqueueElement)}).
 *
 * <p>Thread-safety: none; it belongs to the thread that popped into it.
 */
public final class VirtqueueElement {

    private final long[] addresses;
    private final int[] lengths;
    private int head;
    private int count;
    private int readable;

    /**
     * Creates an empty element.
     *
     * @param capacity the most segments it holds: the queue size
     */
    public VirtqueueElement(int capacity) {
        this.addresses = new long[capacity];
        this.lengths = new int[capacity];
    }

    /** The descriptor index to hand back in {@link SplitVirtqueue#push}. */
    public int head() {
        return head;
    }

    /** The number of device-readable segments. */
    public int readableCount() {
        return readable;
    }

    /** The number of device-writable segments. */
    public int writableCount() {
        return count - readable;
    }

    /** The guest address of readable segment {@code i}. */
    public long readableAddress(int i) {
        return addresses[Objects.checkIndex(i, readable)];
    }

    /** The length in bytes (an unsigned 32-bit value) of readable segment {@code i}. */
    public long readableLength(int i) {
        return Integer.toUnsignedLong(lengths[Objects.checkIndex(i, readable)]);
    }

    /** The guest address of writable segment {@code i}. */
    public long writableAddress(int i) {
        return addresses[readable + Objects.checkIndex(i, count - readable)];
    }

    /** The length in bytes (an unsigned 32-bit value) of writable segment {@code i}. */
    public long writableLength(int i) {
        return Integer.toUnsignedLong(lengths[readable + Objects.checkIndex(i, count - readable)]);
    }

    /** The sum of the readable lengths. */
    public long readableBytes() {
        return sum(0, readable);
    }

    /** The sum of the writable lengths. */
    public long writableBytes() {
        return sum(readable, count);
    }

    /** The most segments this element holds. */
    public int capacity() {
        return addresses.length;
    }

    private long sum(int from, int to) {
        long total = 0;
        for (int i = from; i < to; i++) {
            total += Integer.toUnsignedLong(lengths[i]);
        }
        return total;
    }

    void clear(int newHead) {
        head = newHead;
        count = 0;
        readable = 0;
    }

    /** Appends a segment; false if the element is full. Readable ones must come first. */
    boolean add(long address, long length, boolean writable) {
        if (count == addresses.length) {
            return false;
        }
        addresses[count] = address;
        lengths[count] = (int) length;
        count++;
        if (!writable) {
            readable = count;
        }
        return true;
    }

    @Override
    public String toString() {
        return "VirtqueueElement[head=" + head + ", readable=" + readable + ", writable=" + (count - readable) + "]";
    }
}
