package org.hvkit.block.virtio.backend;

import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * Storage behind a block device. Data moves directly between the backend and guest RAM
 * through the request's {@link IoVector}; every operation ends with exactly one call of its
 * {@link BlockCompletion}, possibly before the method returns.
 *
 * <p>The device has checked ranges against {@link #capacity()} and alignment before it
 * calls; a backend checks again and completes with {@link BlockCompletion#IO_ERROR} rather
 * than throwing for a range outside it. A segment outside guest RAM throws
 * {@link org.hvkit.block.virtio.memory.GuestMemoryException} before the completion is called
 * (the device treats that as a broken request); no other exception is thrown for any input.
 *
 * <p>Thread-safety: only the home thread of the queue that submits a request calls these
 * methods for it; several queues, each on its own thread, may call one backend at once, so
 * implementations are safe for concurrent calls on disjoint or overlapping ranges (with
 * overlapping ones the outcome is what concurrent guest I/O gets on real disks: either order).
 */
public interface BlockBackend {

    /** The sector size all offsets and lengths are multiples of. */
    int SECTOR_SIZE = 512;

    /** The size in bytes, a multiple of {@link #SECTOR_SIZE}. */
    long capacity();

    /** True if writes, discards and write-zeroes must fail. */
    boolean isReadOnly();

    /**
     * The backend a queue served by {@code context} submits its requests to. A backend that
     * completes asynchronously returns a view of the same storage whose completions run in
     * that context's home thread (QEMU moves a BlockDriverState's requests to the AioContext
     * that submits them the same way); a synchronous backend completes in the caller's thread
     * anyway and returns itself.
     *
     * <p>Thread-safety: any thread; the device calls it once per queue when the queue starts.
     *
     * @param context the context of the submitting queue
     * @return the backend to call from that context's home thread
     */
    default BlockBackend forContext(AioContext context) {
        return this;
    }

    /**
     * Reads {@code iov.size()} bytes at {@code offset} into the guest buffers.
     *
     * @param memory the guest RAM the buffers are in
     * @param iov the guest buffers
     * @param offset the byte offset in the backend
     * @param done called once with the outcome
     */
    void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done);

    /**
     * Writes {@code iov.size()} bytes from the guest buffers at {@code offset}.
     *
     * @param memory the guest RAM the buffers are in
     * @param iov the guest buffers
     * @param offset the byte offset in the backend
     * @param done called once with the outcome
     */
    void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done);

    /**
     * Makes every completed write durable.
     *
     * @param done called once with the outcome
     */
    void flush(BlockCompletion done);

    /**
     * Tells the backend that a range is no longer needed; its contents become unspecified.
     *
     * @param offset the byte offset
     * @param length the length in bytes
     * @param done called once with the outcome
     */
    void discard(long offset, long length, BlockCompletion done);

    /**
     * Makes a range read back as zeroes.
     *
     * @param offset the byte offset
     * @param length the length in bytes
     * @param mayUnmap true if the backend may deallocate the range instead of writing zeroes
     * @param done called once with the outcome
     */
    void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done);

    /**
     * Tells whether {@code [offset, offset + length)} lies inside the backend, with no
     * overflow for any inputs; for backends' own checks.
     *
     * @param offset the byte offset
     * @param length the length in bytes
     * @return true if the range is inside
     */
    default boolean inRange(long offset, long length) {
        long capacity = capacity();
        return offset >= 0 && length >= 0 && offset <= capacity && length <= capacity - offset;
    }
}
