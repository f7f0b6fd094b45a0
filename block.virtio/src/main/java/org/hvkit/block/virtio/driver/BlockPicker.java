package org.hvkit.block.virtio.driver;

import java.util.SplittableRandom;

/**
 * Chooses the block of each request: a sequential walk that wraps at the end, or uniformly
 * random blocks from a seeded {@link SplittableRandom}, so a run is repeatable. Allocates
 * nothing per call.
 *
 * <p>Thread-safety: none; the workload's thread only.
 */
final class BlockPicker {

    private final long blocks;
    private final SplittableRandom random;
    private long cursor;

    /**
     * A picker over blocks {@code 0 .. blocks - 1}.
     *
     * @param blocks the number of blocks, at least 1
     * @param random the generator for random picks, or null for a sequential walk
     */
    BlockPicker(long blocks, SplittableRandom random) {
        this.blocks = blocks;
        this.random = random;
    }

    /** The next block. */
    long next() {
        if (random != null) {
            return random.nextLong(blocks);
        }
        long b = cursor;
        cursor = b + 1 == blocks ? 0 : b + 1;
        return b;
    }
}
