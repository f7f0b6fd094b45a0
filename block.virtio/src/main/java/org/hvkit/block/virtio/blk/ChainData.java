package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.VirtqueueElement;

/**
 * Walks the segments of a popped chain as one byte stream, as QEMU's {@code iov_to_buf}
 * and {@code iov_discard_front/back} do: headers may span segments, and the status byte is
 * the last byte of the last writable segment.
 *
 * <p>Thread-safety: stateless; callers own the element and the vector.
 */
final class ChainData {

    private ChainData() {
    }

    /**
     * Copies up to {@code length} readable bytes, starting {@code skip} bytes into the readable
     * stream, into {@code dst}.
     *
     * @return the bytes copied: less than {@code length} if the readable stream ends first
     * @throws org.hvkit.block.virtio.memory.GuestMemoryException if a segment is outside RAM
     */
    static int gather(GuestMemory memory, VirtqueueElement e, long skip, byte[] dst, int length) {
        int copied = 0;
        long toSkip = skip;
        for (int i = 0; i < e.readableCount() && copied < length; i++) {
            long segment = e.readableLength(i);
            if (toSkip >= segment) {
                toSkip -= segment;
                continue;
            }
            int n = (int) Math.min(segment - toSkip, length - copied);
            memory.read(e.readableAddress(i) + toSkip, dst, copied, n);
            copied += n;
            toSkip = 0;
        }
        return copied;
    }

    /**
     * Fills {@code iov} with the readable stream after its first {@code skip} bytes.
     *
     * @return false if the data has more segments than the vector holds
     */
    static boolean readableData(VirtqueueElement e, long skip, IoVector iov) {
        iov.clear();
        long toSkip = skip;
        for (int i = 0; i < e.readableCount(); i++) {
            long segment = e.readableLength(i);
            long cut = Math.min(toSkip, segment);
            toSkip -= cut;
            if (!iov.add(e.readableAddress(i) + cut, segment - cut)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fills {@code iov} with the writable stream minus its last byte (the status byte).
     *
     * @return false if the data has more segments than the vector holds
     */
    static boolean writableData(VirtqueueElement e, IoVector iov) {
        iov.clear();
        int last = e.writableCount() - 1;
        for (int i = 0; i <= last; i++) {
            long segment = e.writableLength(i) - (i == last ? VirtioBlkProtocol.STATUS_SIZE : 0);
            if (!iov.add(e.writableAddress(i), segment)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies {@code length} bytes of {@code src} into the guest buffers of {@code iov}, in
     * order; the caller makes sure they fit.
     */
    static void scatter(GuestMemory memory, byte[] src, int length, IoVector iov) {
        int copied = 0;
        for (int i = 0; i < iov.count() && copied < length; i++) {
            int n = (int) Math.min(iov.length(i), length - copied);
            memory.write(iov.address(i), src, copied, n);
            copied += n;
        }
    }

    /** Reads a little-endian u32 from {@code b} at {@code at}, as an int. */
    static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /** Reads a little-endian u64 from {@code b} at {@code at}. */
    static long le64(byte[] b, int at) {
        return Integer.toUnsignedLong(le32(b, at)) | (long) le32(b, at + 4) << 32;
    }
}
