package org.hvkit.block.virtio.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.FileBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A virtio-blk device on a file backend driven by the driver model, everything in the
 * calling thread (it is the context's home thread and polls it): writes of verify blocks in
 * batches, flushes, and read-back checks. Used by the durability test in two JVMs.
 *
 * <p>Thread-safety: the thread that created it, only.
 */
final class FileDisk implements AutoCloseable {

    static final int BLOCK = 4096;
    static final long CAPACITY = 32L << 20;
    static final long BLOCKS = CAPACITY / BLOCK;
    static final int BATCH = 16;

    private static final long RAM_BASE = 0x10000;
    private static final int QUEUE_SIZE = 64;
    private static final long RING_BYTES = 0x100000;
    private static final long DATA = RAM_BASE + RING_BYTES;
    private static final int SECTORS_PER_BLOCK = BLOCK / VirtioBlkProtocol.SECTOR_SIZE;
    /** How long one batch may take before the disk is declared stuck. */
    private static final long BATCH_TIMEOUT_NANOS = 30_000_000_000L;

    private final AioContext context;
    private final FileBackend backend;
    private final GuestMemory memory = GuestMemory.allocate(RAM_BASE, (int) (RING_BYTES + BATCH * BLOCK));
    private final VirtioBlkDevice device;
    private final VirtioBlkDriver driver;
    private final int[] statuses = new int[BATCH];
    private int completed;

    FileDisk(Path file) {
        AioContextFactory factory = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();
        context = factory.create("file-disk");
        context.poll(false); // this thread becomes the home thread
        backend = FileBackend.openOrCreate(context, file, CAPACITY);
        device = new VirtioBlkDevice(memory, VirtioBlkConfig.defaults(CAPACITY, 1, QUEUE_SIZE), backend,
                "durability", QUEUE_SIZE, List.of(context));
        driver = new VirtioBlkDriver(device, memory, RAM_BASE, RING_BYTES);
        driver.initialise(1, QUEUE_SIZE, -1L);
    }

    /**
     * Writes the verify pattern of generation {@code generation} to blocks
     * {@code first .. first + BATCH - 1} and waits for every completion.
     *
     * @throws IllegalStateException if a write does not complete OK
     */
    void writeBatch(long first, long generation) {
        for (int i = 0; i < BATCH; i++) {
            long block = first + i;
            VerifyPattern.fill(memory, DATA + (long) i * BLOCK, BLOCK, block * BLOCK, generation);
            submit(VirtioBlkProtocol.T_OUT, block, DATA + (long) i * BLOCK, BLOCK, i);
        }
        awaitBatch(BATCH, "write of blocks " + first + "..");
    }

    /** Sends FLUSH and waits for its acknowledgement. */
    void flush() {
        submit(VirtioBlkProtocol.T_FLUSH, 0, 0, 0, 0);
        awaitBatch(1, "flush");
    }

    /** Reads {@code BATCH} blocks from {@code first}; returns how many hold generation {@code generation}. */
    int countMatching(long first, long generation) {
        for (int i = 0; i < BATCH; i++) {
            submit(VirtioBlkProtocol.T_IN, first + i, DATA + (long) i * BLOCK, BLOCK, i);
        }
        awaitBatch(BATCH, "read of blocks " + first + "..");
        int matching = 0;
        for (int i = 0; i < BATCH; i++) {
            if (VerifyPattern.matches(memory, DATA + (long) i * BLOCK, BLOCK, (first + i) * BLOCK, generation)) {
                matching++;
            }
        }
        return matching;
    }

    private void submit(int type, long block, long buffer, int length, int slot) {
        statuses[slot] = -1;
        if (!driver.submit(0, type, block * SECTORS_PER_BLOCK, buffer, length, status -> {
            statuses[slot] = status;
            completed++;
        })) {
            throw new IllegalStateException("the queue is full");
        }
    }

    private void awaitBatch(int expected, String what) {
        long deadline = System.nanoTime() + BATCH_TIMEOUT_NANOS;
        while (completed < expected) {
            if (System.nanoTime() - deadline > 0 || driver.needsReset()) {
                throw new IllegalStateException(what + ": " + completed + " of " + expected + " completed"
                        + (driver.needsReset() ? ", the device needs a reset" : ""));
            }
            context.poll(true); // the file backend completes through the pool's BH
            driver.reapCompletions(0);
        }
        completed = 0;
        for (int i = 0; i < expected; i++) {
            if (statuses[i] != VirtioBlkProtocol.S_OK) {
                throw new IllegalStateException(what + ": request " + i + " ended with status " + statuses[i]);
            }
        }
    }

    @Override
    public void close() {
        device.close();
        backend.close();
        context.close();
    }
}
