package org.hvkit.block.virtio.backend;

import java.util.Objects;

/**
 * The guest buffers of one request's data, as (guest address, length) segments: QEMU's
 * {@code QEMUIOVector}. The device fills it from a popped chain without the header and the
 * status byte, so a backend sees only data.
 *
 * <p>Allocated once per in-flight request with a fixed capacity (the device's seg_max plus
 * room for the header and status segments) and refilled for every request: building it
 * allocates nothing.
 *
 * <p>Thread-safety: none; it belongs to the request, which belongs to the queue's home
 * thread, and to the backend while the request is submitted.
 */
public final class IoVector {

    private final long[] addresses;
    private final long[] lengths;
    private int count;
    private long size;

    /**
     * Creates an empty vector.
     *
     * @param capacity the most segments it holds
     */
    public IoVector(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.addresses = new long[capacity];
        this.lengths = new long[capacity];
    }

    /** Empties the vector. */
    public void clear() {
        count = 0;
        size = 0;
    }

    /**
     * Appends a segment; zero-length segments are skipped, as they carry nothing.
     *
     * @param address the guest address
     * @param length the length in bytes, 0 to 2^32 - 1
     * @return false if the vector is full (the segment is not added)
     */
    public boolean add(long address, long length) {
        if (length < 0 || length > 0xffff_ffffL) {
            throw new IllegalArgumentException("segment length out of range: " + length);
        }
        if (length == 0) {
            return true;
        }
        if (count == addresses.length) {
            return false;
        }
        addresses[count] = address;
        lengths[count] = length;
        count++;
        size += length;
        return true;
    }

    /** The number of segments. */
    public int count() {
        return count;
    }

    /** The guest address of segment {@code i}. */
    public long address(int i) {
        return addresses[Objects.checkIndex(i, count)];
    }

    /** The length in bytes of segment {@code i}. */
    public long length(int i) {
        return lengths[Objects.checkIndex(i, count)];
    }

    /** The total length in bytes (at most capacity times 2^32, so no overflow). */
    public long size() {
        return size;
    }

    /** The most segments this vector holds. */
    public int capacity() {
        return addresses.length;
    }

    @Override
    public String toString() {
        return "IoVector[count=" + count + ", size=" + size + "]";
    }
}
