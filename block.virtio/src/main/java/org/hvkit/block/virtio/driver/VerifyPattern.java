package org.hvkit.block.virtio.driver;

import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * The checkable contents of a block written in verify mode, fio's {@code verify} reduced to
 * what a reader can recompute: the first 8 bytes hold the block's byte offset, the next 8 its
 * write generation, and the rest a SplitMix64 stream seeded from both. A block read back
 * therefore proves both where it came from and which write it is; stale data from an older
 * write of the same block, or another block's data, does not match.
 *
 * <p>Thread-safety: stateless; the memory is written and read by the calling thread.
 */
final class VerifyPattern {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private VerifyPattern() {
    }

    /**
     * Writes the pattern of ({@code offset}, {@code generation}) into a guest buffer.
     *
     * @param memory the guest memory
     * @param address the buffer
     * @param length its length, a multiple of 8 and at least 16
     * @param offset the block's byte offset on the device
     * @param generation the write's generation
     */
    static void fill(GuestMemory memory, long address, int length, long offset, long generation) {
        memory.writeLong(address, offset);
        memory.writeLong(address + 8, generation);
        long x = mix(offset * GOLDEN ^ generation);
        for (int i = 16; i < length; i += 8) {
            x = mix(x + GOLDEN);
            memory.writeLong(address + i, x);
        }
    }

    /**
     * Tells whether a guest buffer holds exactly the pattern of ({@code offset},
     * {@code generation}).
     *
     * @return true if every byte matches
     */
    static boolean matches(GuestMemory memory, long address, int length, long offset, long generation) {
        if (memory.readLong(address) != offset || memory.readLong(address + 8) != generation) {
            return false;
        }
        long x = mix(offset * GOLDEN ^ generation);
        for (int i = 16; i < length; i += 8) {
            x = mix(x + GOLDEN);
            if (memory.readLong(address + i) != x) {
                return false;
            }
        }
        return true;
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
