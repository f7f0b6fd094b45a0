package org.hvkit.block.virtio.driver;

/**
 * What a verifying workload knows about each block it addresses: the generation of the last
 * acknowledged write (0: never written in this run; {@link #UNKNOWN}: a write failed, so the
 * contents are undefined) and whether a request on the block is in flight, so that two never
 * are at once and a read is checked against a settled write.
 *
 * <p>Thread-safety: none; the workload's thread only.
 */
final class BlockTracker {

    /** The generation of a block whose last write failed: reads of it are not checked. */
    static final int UNKNOWN = -1;

    private final int[] generations;
    private final long[] busy;
    private int lastGeneration;

    /**
     * Tracks {@code blocks} blocks, none written, none busy.
     *
     * @param blocks the number of blocks, at least 1
     */
    BlockTracker(int blocks) {
        this.generations = new int[blocks];
        this.busy = new long[(blocks + 63) >>> 6];
    }

    int blocks() {
        return generations.length;
    }

    /** The generation of the block's last acknowledged write; 0 if none, or {@link #UNKNOWN}. */
    int generation(int block) {
        return generations[block];
    }

    /** A new generation for a write: positive, never 0 or {@link #UNKNOWN}, wrapping after 2^31 - 1. */
    int nextGeneration() {
        lastGeneration = lastGeneration == Integer.MAX_VALUE ? 1 : lastGeneration + 1;
        return lastGeneration;
    }

    /** A write of the block completed OK. */
    void written(int block, int generation) {
        generations[block] = generation;
    }

    /** A write of the block failed: its contents are no longer known. */
    void lost(int block) {
        generations[block] = UNKNOWN;
    }

    boolean isBusy(int block) {
        return (busy[block >>> 6] & (1L << block)) != 0;
    }

    void setBusy(int block) {
        busy[block >>> 6] |= 1L << block;
    }

    void clearBusy(int block) {
        busy[block >>> 6] &= ~(1L << block);
    }

    /**
     * The first block from {@code start} on, wrapping around, with no request in flight.
     *
     * @return the block, or -1 if every block is busy
     */
    int findIdle(int start) {
        int n = generations.length;
        for (int i = 0, b = start; i < n; i++, b = b + 1 == n ? 0 : b + 1) {
            if (!isBusy(b)) {
                return b;
            }
        }
        return -1;
    }

    /**
     * The first block from {@code start} on (no wrapping) with a known written generation.
     *
     * @return the block, or -1 if there is none
     */
    int nextWritten(int start) {
        for (int b = start; b < generations.length; b++) {
            if (generations[b] > 0) {
                return b;
            }
        }
        return -1;
    }
}
