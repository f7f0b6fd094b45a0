package org.hvkit.block.virtio.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target: queue notify with any index (negative, past the last queue, huge) on a live
 * 4-queue device on 2 contexts, interleaved with well-formed reads on any queue, a queue made
 * to break (a head out of range), polls of either context, and resets.
 *
 * <p>Checked after every step: nothing is thrown; a notify of an index that is not a queue
 * changes no queue's kick count; a poll handles requests only on queues kicked since their
 * context last ran, and never more than were offered; the device writes only used rings and
 * the requests' buffers. At the end: every queue that was not broken serves all its reads
 * with the disk's data after one kick; a broken queue means NEEDS_RESET and leaves the others
 * serving; a reset makes every queue serve again.
 */
class QueueNotifyFuzzTest {

    private static final int QUEUES = 4;
    private static final int CONTEXTS = 2;
    private static final int QUEUE_SIZE = 16;
    private static final int[] INDICES = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, QUEUES, QUEUES + 1, 0xffff, 0x10000,
        -QUEUES, 0, 1, 2, 3};

    private static FuzzDevice device;

    @AfterAll
    static void closeDevice() {
        if (device != null && device.ownedByThisThread()) {
            device.close();
        }
        device = null;
    }

    @FuzzTest
    void anyNotifyIndexServesOnlyThatQueue(FuzzedDataProvider data) {
        if (device == null || !device.ownedByThisThread()) {
            device = new FuzzDevice(QUEUES, CONTEXTS, QUEUE_SIZE, null, false, FuzzDevice.QUEUE_AREA * QUEUES);
        }
        device.resetForInput();
        new Run(device, data).run();
    }

    private static final class Run {
        private final FuzzDevice f;
        private final FuzzedDataProvider data;
        private final GuestRamWatch watch;
        /** Reads offered per queue and their sectors, by slot. */
        private final long[][] sectors = new long[QUEUES][FuzzDevice.SLOTS];
        private final int[] offered = new int[QUEUES];
        /** Requests the device has taken per queue, as counted at the last poll. */
        private final long[] handled = new long[QUEUES];
        /** Queues kicked since their context last ran. */
        private final boolean[] kicked = new boolean[QUEUES];
        private final boolean[] broken = new boolean[QUEUES];

        Run(FuzzDevice f, FuzzedDataProvider data) {
            this.f = f;
            this.data = data;
            this.watch = f.watch;
            initialise();
        }

        private void initialise() {
            f.initialise(FuzzDevice.VERSION_1);
            // Going live kicks every queue once; nothing is offered yet, so that kick finds nothing.
            f.pollAll();
            java.util.Arrays.fill(offered, 0);
            java.util.Arrays.fill(kicked, false);
            java.util.Arrays.fill(broken, false);
            for (int q = 0; q < QUEUES; q++) {
                handled[q] = f.device.queue(q).stats().requests();
            }
            watch.clearAllowed();
            for (int q = 0; q < QUEUES; q++) {
                watch.allow(f.drivers[q].layout().usedRing(), 6L + 8L * QUEUE_SIZE);
            }
            watch.sync();
        }

        void run() {
            for (int op = 0; op < 64 && data.remainingBytes() > 0; op++) {
                switch (data.consumeInt(0, 5)) {
                    case 0, 1 -> notifyAny();
                    case 2 -> offer(data.consumeInt(0, QUEUES - 1));
                    case 3 -> poll(data.consumeInt(0, CONTEXTS - 1));
                    case 4 -> breakQueue(data.consumeInt(0, QUEUES - 1));
                    default -> {
                        f.device.status(0);
                        initialise();
                    }
                }
            }
            for (int q = 0; q < QUEUES; q++) {
                notifyQueue(q);
            }
            poll(0);
            poll(1);
            everyQueueServedOrBroken();
            recovers();
        }

        private void notifyAny() {
            int index = data.consumeBoolean() ? INDICES[data.consumeInt(0, INDICES.length - 1)] : data.consumeInt();
            if (index >= 0 && index < QUEUES) {
                notifyQueue(index);
                return;
            }
            long[] kicks = kicks();
            f.device.notifyQueue(index);
            assertThat(kicks()).as("kick counts after notify(%d)", index).isEqualTo(kicks);
        }

        private void notifyQueue(int q) {
            long before = f.device.queue(q).stats().kicks();
            f.device.notifyQueue(q);
            kicked[q] = true;
            assertThat(f.device.queue(q).stats().kicks()).as("kicks of queue %d", q).isEqualTo(before + 1);
        }

        private long[] kicks() {
            long[] k = new long[QUEUES];
            for (int q = 0; q < QUEUES; q++) {
                k[q] = f.device.queue(q).stats().kicks();
            }
            return k;
        }

        private void offer(int q) {
            int slot = offered[q];
            if (slot == FuzzDevice.SLOTS || broken[q]) {
                return;
            }
            long sector = data.consumeInt(0, 63);
            if (f.offerRead(q, slot, sector) < 0) {
                watch.sync();
                return;
            }
            sectors[q][slot] = sector;
            offered[q]++;
            watch.allow(f.data(q, slot), f.blockBytes());
            watch.allow(FuzzDevice.status(q, slot), 1);
            watch.sync();
        }

        /** The guest publishes a head past the queue size: the queue breaks at its next kick. */
        private void breakQueue(int q) {
            f.drivers[q].offer(QUEUE_SIZE + data.consumeInt(0, 0xffff - QUEUE_SIZE));
            f.drivers[q].publish();
            broken[q] = true;
            watch.sync();
        }

        private void poll(int context) {
            f.poll(context);
            assertThat(watch.foreignWrite()).as("first device write outside used rings and request buffers")
                    .isEqualTo(-1L);
            watch.sync();
            for (int q = context; q < QUEUES; q += CONTEXTS) {
                long now = f.device.queue(q).stats().requests();
                if (!kicked[q]) {
                    assertThat(now).as("requests of queue %d, not kicked", q).isEqualTo(handled[q]);
                }
                assertThat(now - handled[q]).as("requests of queue %d in one poll", q)
                        .isLessThanOrEqualTo(offered[q]);
                handled[q] = now;
                kicked[q] = false;
            }
        }

        private void everyQueueServedOrBroken() {
            boolean anyBroken = false;
            for (int q = 0; q < QUEUES; q++) {
                anyBroken |= broken[q];
                if (broken[q]) {
                    assertThat(f.device.queue(q).isFailed()).as("queue %d failed", q).isTrue();
                    continue;
                }
                assertThat(f.device.queue(q).isFailed()).as("queue %d failed", q).isFalse();
                int returned = 0;
                while (f.drivers[q].pollUsed() >= 0) {
                    returned++;
                }
                assertThat(returned).as("reads returned on queue %d", q).isEqualTo(offered[q]);
                for (int slot = 0; slot < offered[q]; slot++) {
                    assertThat(f.readCompleted(q, slot, sectors[q][slot])).as("read %d of queue %d", slot, q).isTrue();
                }
            }
            assertThat((f.device.status() & DeviceStatus.NEEDS_RESET) != 0).as("NEEDS_RESET").isEqualTo(anyBroken);
        }

        private void recovers() {
            f.device.status(0);
            initialise();
            for (int q = 0; q < QUEUES; q++) {
                offer(q);
                notifyQueue(q);
            }
            poll(0);
            poll(1);
            everyQueueServedOrBroken();
        }
    }
}
