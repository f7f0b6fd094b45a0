package org.hvkit.block.virtio.driver;

import java.nio.file.Path;

/**
 * The process the durability test kills: writes generation after generation of fresh
 * blocks to a file disk, each batch followed by a FLUSH, and prints {@code ACK <generation>}
 * once the flush is acknowledged, then goes on with the next batch until it is killed (or
 * the disk is full, or a minute has passed: a test that died must not leave it running).
 *
 * <p>Generation {@code g} is blocks {@code g * BATCH .. g * BATCH + BATCH - 1}, written once
 * with the pattern of {@code g}, so every acknowledged block has one right content.
 */
public final class DurabilityWriter {

    private static final long MAX_RUNTIME_NANOS = 60_000_000_000L;

    private DurabilityWriter() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: DurabilityWriter <image file>");
            System.exit(2);
        }
        long end = System.nanoTime() + MAX_RUNTIME_NANOS;
        try (FileDisk disk = new FileDisk(Path.of(args[0]))) {
            System.out.println("READY");
            System.out.flush();
            for (long generation = 0; (generation + 1) * FileDisk.BATCH <= FileDisk.BLOCKS; generation++) {
                if (System.nanoTime() - end > 0) {
                    break;
                }
                disk.writeBatch(generation * FileDisk.BATCH, generation);
                disk.flush();
                System.out.println("ACK " + generation);
                System.out.flush();
            }
        }
        System.out.println("DONE");
    }
}
