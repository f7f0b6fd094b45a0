package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.driver.DriverRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Context swaps racing a guest that keeps submitting (DESIGN §6: every guest request completes
 * exactly once across any number of swaps). Each context is polled by a loop thread of its
 * own; a guest thread submits reads on both queues and kicks without pause; the test thread
 * swaps the context of queue 0 again and again for a new one of the same name, as an IOThread
 * re-created by a scheduler switch. Completions come a few loop iterations late, so detaches
 * meet requests in flight.
 */
class BlkQueueSwapStressTest {

    private static final long RUN_NANOS = 1_500_000_000L;
    private static final long TIMEOUT_NANOS = 5_000_000_000L;
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int QUEUES = 2;
    private static final int SLOTS = 32;
    private static final int FREE = -1;

    private final GatedBackend backend = new GatedBackend(32768L * DeviceFixture.BLOCK);
    private final DeviceFixture f = new DeviceFixture(QUEUES, 2, backend);
    private final List<Loop> loops = new ArrayList<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    /** A context and the thread polling it. */
    private final class Loop {
        final AioContext context;
        final Thread thread;
        volatile boolean stop;

        Loop(AioContext context) {
            this.context = context;
            this.thread = new Thread(() -> {
                GatedBackend.HOME.set(context);
                try {
                    while (!stop) {
                        context.poll(true);
                    }
                } catch (RuntimeException | Error e) {
                    failures.add(Thread.currentThread().getName() + " threw " + e);
                }
            }, "loop-" + context.name());
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            context.wakeUp();
            thread.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS));
        }
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        f.device.close(); // while the loops still poll: the reset waits for them
        for (Loop l : loops) {
            l.stop();
            l.context.close();
        }
        f.close();
    }

    @Test
    void shouldCompleteEveryRequestExactlyOnceWhileQueueZerosContextIsSwappedUnderLoad() throws InterruptedException {
        for (AioContext c : f.contexts) {
            loops.add(new Loop(c));
        }
        f.initialise();
        Guest guest = new Guest();
        Thread guestThread = new Thread(guest, "guest");
        guestThread.start();
        int swaps = 0;
        int swapsWithReadsInFlight = 0;
        long end = System.nanoTime() + RUN_NANOS;
        try {
            while (System.nanoTime() < end && failures.isEmpty()) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
                swapsWithReadsInFlight += backend.outstanding.get() > 0 ? 1 : 0;
                swap();
                swaps++;
            }
        } finally {
            guest.stopSubmitting = true;
            guestThread.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS) * 2);
        }

        assertThat(failures).isEmpty();
        assertThat(guestThread.isAlive()).as("guest still waiting").isFalse();
        assertThat(swaps).as("swaps").isGreaterThan(10);
        assertThat(swapsWithReadsInFlight).as("swaps that met reads in flight").isPositive();
        assertThat(guest.completed).as("completed").isEqualTo(guest.submitted).isPositive();
        assertThat(guest.duplicates).as("used ids of no outstanding request").isZero();
        assertThat(guest.badStatus).as("requests without status OK").isZero();
        assertThat(f.device.queue(0).isFailed()).isFalse();
        assertThat(f.sink.configChanges.get()).isZero();
        long served = f.device.queue(0).stats().requests() + f.device.queue(1).stats().requests();
        assertThat(served).as("requests popped").isEqualTo(guest.submitted);
    }

    /** Detaches queue 0 from its loop's context and attaches it to a new context of the same name. */
    private void swap() throws InterruptedException {
        Loop old = loops.get(0);
        Loop next = new Loop(DeviceFixture.FACTORY.create("test0"));
        assertThat(f.device.detachContext("test0", DRAIN)).isEqualTo(1);
        assertThat(f.device.queue(0).attachment()).isEqualTo(BlkQueue.Attachment.DETACHED);
        assertThat(f.device.attachContext("test0", next.context)).isEqualTo(1);
        loops.set(0, next);
        old.stop();
        old.context.close();
    }

    /**
     * The guest driver: submits one-block reads from up to {@link #SLOTS} slots per queue and
     * reaps; after {@link #stopSubmitting} it reaps until every request it submitted is back.
     */
    private final class Guest implements Runnable {

        volatile boolean stopSubmitting;
        long submitted;
        long completed;
        long duplicates;
        long badStatus;
        private final int[][] slotOfHead = new int[QUEUES][DeviceFixture.QUEUE_SIZE];
        private final boolean[][] busy = new boolean[QUEUES][SLOTS];
        private long nextSector;

        @Override
        public void run() {
            for (int[] heads : slotOfHead) {
                Arrays.fill(heads, FREE);
            }
            try {
                while (!stopSubmitting) {
                    for (int q = 0; q < QUEUES; q++) {
                        submit(q);
                        reap(q);
                    }
                }
                long deadline = System.nanoTime() + TIMEOUT_NANOS;
                while (completed < submitted && System.nanoTime() < deadline) {
                    for (int q = 0; q < QUEUES; q++) {
                        reap(q);
                    }
                    Thread.onSpinWait();
                }
            } catch (RuntimeException | Error e) {
                failures.add("guest threw " + e);
            }
        }

        private void submit(int q) {
            DriverRing ring = f.drivers[q];
            boolean added = false;
            for (int slot = 0; slot < SLOTS; slot++) {
                if (busy[q][slot]) {
                    continue;
                }
                long sector = nextSector++ % 32768;
                f.memory.writeInt(DeviceFixture.header(q, slot), VirtioBlkProtocol.T_IN);
                f.memory.writeInt(DeviceFixture.header(q, slot) + 4, 0);
                f.memory.writeLong(DeviceFixture.header(q, slot) + 8, sector);
                f.memory.writeByte(DeviceFixture.status(q, slot), (byte) 0xff);
                int head = ring.addChain(new long[] {DeviceFixture.header(q, slot), DeviceFixture.data(q, slot),
                        DeviceFixture.status(q, slot)}, new int[] {16, DeviceFixture.BLOCK, 1}, 1);
                busy[q][slot] = true;
                slotOfHead[q][head] = slot;
                submitted++;
                added = true;
            }
            if (added) {
                ring.publish();
                f.device.notifyQueue(q);
            }
        }

        private void reap(int q) {
            for (int head; (head = f.drivers[q].pollUsed()) >= 0; ) {
                int slot = slotOfHead[q][head];
                if (slot == FREE || !busy[q][slot]) {
                    duplicates++;
                    continue;
                }
                if (f.statusByte(q, slot) != VirtioBlkProtocol.S_OK) {
                    badStatus++;
                }
                slotOfHead[q][head] = FREE;
                busy[q][slot] = false;
                completed++;
            }
        }
    }
}
