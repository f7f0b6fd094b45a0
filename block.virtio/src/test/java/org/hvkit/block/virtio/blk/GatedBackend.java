package org.hvkit.block.virtio.blk;

import org.hvkit.block.virtio.backend.ForwardingBackend;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * A RAM backend for reset races: reads complete a few loop iterations later in the calling
 * context, it remembers which sectors it was asked for, counts reads not yet completed, and
 * counts every call made while the gate is closed (after a reset returned, before the queues
 * start again), which a correct device never makes.
 *
 * <p>Thread-safety: reads from any context thread that set {@link #HOME} first; the gate and
 * the sector set from the test's threads.
 */
final class GatedBackend extends ForwardingBackend {

    /** The context of the calling loop thread: completions go back there. */
    static final ThreadLocal<AioContext> HOME = new ThreadLocal<>();

    final Set<Long> sectorsRead = ConcurrentHashMap.newKeySet();
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger callsWhileClosed = new AtomicInteger();
    volatile boolean closed;

    GatedBackend(long capacity) {
        super(capacity);
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        if (closed) {
            callsWhileClosed.incrementAndGet();
        }
        sectorsRead.add(offset / SECTOR_SIZE);
        outstanding.incrementAndGet();
        AioContext home = HOME.get();
        completeLater(home, ThreadLocalRandom.current().nextInt(4), () -> {
            ram.read(memory, iov, offset, done);
            outstanding.decrementAndGet(); // after the push: "nothing in flight" means pushed
        });
    }

    private static void completeLater(AioContext home, int iterations, Runnable io) {
        if (iterations == 0) {
            io.run();
            return;
        }
        home.scheduleOneshot("gated read", () -> completeLater(home, iterations - 1, io));
    }
}
