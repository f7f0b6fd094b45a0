package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.driver.DriverRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resets racing a driver that keeps submitting (the CVE-2024-3446 class: device work that
 * outlives a reset). Each context is polled by a loop thread of its own; a driver thread
 * submits reads on both queues and kicks without pause, also after the reset returned; the
 * test thread writes status 0 again and again, checks what the device left behind, and
 * re-initialises. Completions come a few loop iterations late, so resets meet requests in
 * flight.
 */
class VirtioBlkDeviceResetRaceTest {

    private static final long RUN_NANOS = 2_000_000_000L;
    private static final long TIMEOUT_SECONDS = 5;
    private static final int QUEUES = 2;
    private static final int SLOTS = 32;
    private static final long SECTORS = 32768;
    private static final int MARKER = 0xff;
    private static final int FREE = -1;

    private final GatedBackend backend = new GatedBackend(SECTORS * DeviceFixture.BLOCK);
    private final DeviceFixture f = new DeviceFixture(QUEUES, 2, backend);
    private final List<Thread> loops = new ArrayList<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    /** Each queue's requests counter when its session began. */
    private final long[] requestsAtSessionStart = new long[QUEUES];
    private volatile boolean stop;

    @BeforeEach
    void startLoops() {
        for (AioContext c : f.contexts) {
            Thread t = new Thread(() -> {
                GatedBackend.HOME.set(c);
                try {
                    while (!stop) {
                        c.poll(true);
                    }
                } catch (RuntimeException | Error e) {
                    failures.add(Thread.currentThread().getName() + " threw " + e);
                }
            }, "loop-" + c.name());
            t.start();
            loops.add(t);
        }
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        f.device.close(); // while the loops still poll: the reset waits for them
        stop = true;
        for (int i = 0; i < loops.size(); i++) {
            f.contexts.get(i).wakeUp();
            loops.get(i).join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
        f.close();
    }

    @Test
    void shouldLeaveNoRequestHalfDoneAndNoHandlerRunningWhenAResetRacesSubmission() throws InterruptedException {
        f.initialise();
        Driver driver = new Driver();
        Thread driverThread = new Thread(driver, "driver");
        driverThread.start();
        int resets = 0;
        int resetsWithReadsInFlight = 0;
        long end = System.nanoTime() + RUN_NANOS;
        try {
            while (System.nanoTime() < end && failures.isEmpty()) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
                resetsWithReadsInFlight += backend.outstanding.get() > 0 ? 1 : 0;
                resetAndCheck(driver);
                resets++;
            }
        } finally {
            driver.stop = true;
            driver.resume.release();
            driverThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }

        assertThat(failures).isEmpty();
        assertThat(backend.callsWhileClosed.get()).as("backend calls between a reset and DRIVER_OK").isZero();
        assertThat(f.sink.configChanges.get()).as("configChanged calls").isZero();
        assertThat(resets).as("resets").isPositive();
        assertThat(resetsWithReadsInFlight).as("resets that met reads in flight").isPositive();
        assertThat(driver.completed).as("requests completed").isPositive();
    }

    /** One round: reset while the driver submits, check, let the driver settle, re-initialise. */
    private void resetAndCheck(Driver driver) throws InterruptedException {
        f.device.status(0);
        backend.closed = true;
        assertThat(backend.outstanding.get()).as("reads in the backend when the reset returned").isZero();
        int[] usedIdx = new int[QUEUES];
        for (int q = 0; q < QUEUES; q++) {
            assertThat(f.device.queue(q).isRunning()).as("queue %d running after reset", q).isFalse();
            assertThat(f.device.queue(q).stats().inFlight()).as("queue %d in flight after reset", q).isZero();
            usedIdx[q] = usedIdx(q);
            // Popped means completed: the session's rings started at 0 and hold fewer than 2^16 entries.
            assertThat(f.device.queue(q).stats().requests() - requestsAtSessionStart[q])
                    .as("queue %d requests popped in the session", q).isEqualTo(usedIdx[q]);
        }
        assertThat(f.device.status()).as("status after reset").isZero();
        // The driver keeps kicking the stopped queues while it notices the reset.
        driver.pause = true;
        assertThat(driver.paused.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("driver paused").isTrue();
        for (int q = 0; q < QUEUES; q++) {
            assertThat(usedIdx(q)).as("queue %d used->idx after the reset returned", q).isEqualTo(usedIdx[q]);
        }
        assertThat(backend.callsWhileClosed.get()).as("backend calls after the reset returned").isZero();

        f.negotiate(); // fresh rings: the driver re-initialises its queues as after any reset
        backend.sectorsRead.clear();
        backend.closed = false;
        for (int q = 0; q < QUEUES; q++) {
            requestsAtSessionStart[q] = f.device.queue(q).stats().requests();
        }
        f.driverOk();
        driver.resume.release();
    }

    private int usedIdx(int q) {
        return f.memory.readShort(f.drivers[q].layout().usedIdx()) & 0xffff;
    }

    /**
     * The guest driver: submits one-block reads from up to {@link #SLOTS} slots per queue, each
     * of a sector unique within its session, and reaps; on a reset it checks every request it
     * submitted in the session and starts over on the new rings.
     */
    private final class Driver implements Runnable {

        final Semaphore paused = new Semaphore(0);
        final Semaphore resume = new Semaphore(0);
        volatile boolean pause;
        volatile boolean stop;
        long completed;
        private final int[][] slotOfHead = new int[QUEUES][DeviceFixture.QUEUE_SIZE];
        private final long[][] sectorOfSlot = new long[QUEUES][SLOTS];
        private long nextSector;

        @Override
        public void run() {
            try {
                newSession();
                while (!stop) {
                    if (pause) {
                        pause = false;
                        checkSession();
                        paused.release();
                        resume.acquire();
                        newSession();
                        continue;
                    }
                    for (int q = 0; q < QUEUES; q++) {
                        submit(q);
                        reap(q);
                    }
                }
            } catch (InterruptedException e) {
                failures.add("driver interrupted");
            } catch (RuntimeException | Error e) {
                failures.add("driver threw " + e);
                paused.release();
            }
        }

        private void newSession() {
            for (int q = 0; q < QUEUES; q++) {
                Arrays.fill(sectorOfSlot[q], FREE);
            }
            nextSector = 0;
        }

        private void submit(int q) {
            for (int slot = 0; slot < SLOTS && nextSector < SECTORS; slot++) {
                if (sectorOfSlot[q][slot] != FREE) {
                    continue;
                }
                long sector = nextSector++;
                f.memory.writeInt(DeviceFixture.header(q, slot), VirtioBlkProtocol.T_IN);
                f.memory.writeInt(DeviceFixture.header(q, slot) + 4, 0);
                f.memory.writeLong(DeviceFixture.header(q, slot) + 8, sector);
                f.memory.writeByte(DeviceFixture.status(q, slot), (byte) MARKER);
                int head = f.drivers[q].addChain(
                        new long[] {DeviceFixture.header(q, slot), DeviceFixture.data(q, slot), DeviceFixture.status(q, slot)},
                        new int[] {16, DeviceFixture.BLOCK, 1}, 1);
                slotOfHead[q][head] = slot;
                sectorOfSlot[q][slot] = sector;
            }
            f.drivers[q].publish();
            f.device.notifyQueue(q);
        }

        /** Takes every used entry; each must be a whole request the backend served. */
        private void reap(int q) {
            DriverRing ring = f.drivers[q];
            for (int head; (head = ring.pollUsed()) >= 0; ) {
                int slot = slotOfHead[q][head];
                long sector = sectorOfSlot[q][slot];
                int status = f.memory.readByte(DeviceFixture.status(q, slot)) & 0xff;
                if (sector == FREE || status != VirtioBlkProtocol.S_OK || ring.lastUsedLength() != DeviceFixture.BLOCK + 1
                        || !backend.sectorsRead.contains(sector)) {
                    failures.add("queue " + q + " slot " + slot + ": used entry with status " + status
                            + ", length " + ring.lastUsedLength() + ", sector " + sector);
                }
                sectorOfSlot[q][slot] = FREE;
                completed++;
            }
        }

        /** After a reset: what was not pushed must be untouched, and never reached the backend. */
        private void checkSession() {
            for (int q = 0; q < QUEUES; q++) {
                reap(q);
                for (int slot = 0; slot < SLOTS; slot++) {
                    long sector = sectorOfSlot[q][slot];
                    int status = f.memory.readByte(DeviceFixture.status(q, slot)) & 0xff;
                    if (sector != FREE && (status != MARKER || backend.sectorsRead.contains(sector))) {
                        failures.add("queue " + q + " slot " + slot + ": half-done request, status " + status
                                + ", sector " + sector + " read " + backend.sectorsRead.contains(sector));
                    }
                }
            }
        }
    }
}
