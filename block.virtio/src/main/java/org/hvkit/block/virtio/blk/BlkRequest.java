package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;

/**
 * One virtio-blk request in flight: what its completion needs once the element it came from
 * has been reused (head, status address, data length), its data vector, and the discard or
 * write-zeroes segments it validated. It is the backend's completion callback, so submitting
 * allocates nothing; the handler pools these objects.
 *
 * <p>Thread-safety: none; the queue's home thread owns it, and backends complete on that
 * thread (see {@link BlockCompletion}).
 */
final class BlkRequest implements BlockCompletion {

    final IoVector iov;
    /** Validated discard/write-zeroes segments, copied so a guest rewriting them changes nothing. */
    final long[] segmentSectors;
    final int[] segmentCounts;
    final boolean[] segmentUnmap;

    private final VirtioBlkRequestHandler owner;
    int head;
    long statusAddress;
    /** Bytes the device writes into data buffers when the request succeeds. */
    long dataWritten;
    private int pending;
    private int status;

    BlkRequest(VirtioBlkRequestHandler owner, int segMax, int maxRangeSegments) {
        this.owner = owner;
        this.iov = new IoVector(segMax);
        this.segmentSectors = new long[maxRangeSegments];
        this.segmentCounts = new int[maxRangeSegments];
        this.segmentUnmap = new boolean[maxRangeSegments];
    }

    /** Starts a request that will wait for {@code completions} backend completions. */
    void start(int newHead, long newStatusAddress, int completions) {
        head = newHead;
        statusAddress = newStatusAddress;
        dataWritten = 0;
        pending = completions;
        status = VirtioBlkProtocol.S_OK;
    }

    @Override
    public void complete(int backendStatus) {
        // The first failure wins: that is the one a guest would see from the first segment.
        if (status == VirtioBlkProtocol.S_OK) {
            status = switch (backendStatus) {
                case BlockCompletion.OK -> VirtioBlkProtocol.S_OK;
                case BlockCompletion.UNSUPPORTED -> VirtioBlkProtocol.S_UNSUPP;
                default -> VirtioBlkProtocol.S_IOERR;
            };
        }
        if (--pending == 0) {
            owner.finish(this, status);
        }
    }

    /** Ends the request without a backend: the device decided its status itself. */
    void finishNow() {
        pending = 0;
    }

    /** True while backend completions are still due. */
    boolean isPending() {
        return pending > 0;
    }
}
