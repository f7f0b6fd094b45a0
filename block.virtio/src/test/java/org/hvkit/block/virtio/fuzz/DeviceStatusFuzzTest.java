package org.hvkit.block.virtio.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.queue.RingLayout;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target: feature negotiation and device status transitions in any order, on a 2-queue
 * device on 2 contexts: status writes of any byte, driver features of any bits, queue set-ups
 * with any index, size and ring addresses (before and after DRIVER_OK), kicks, well-formed
 * requests, polls, configuration reads and resets, interleaved as the input says.
 *
 * <p>Checked after every step: nothing is thrown; the status has only defined bits; a write of
 * 0 resets to 0; bits only accumulate until a reset; FEATURES_OK stands only for an acceptable
 * feature set (a subset of the offer, with VERSION_1); NEEDS_RESET only with a failed queue;
 * the device writes only the used rings of set-up queues and the requests' writable buffers.
 * At the end of every input: each queue that was set up with the driver's rings when the
 * device went live serves a well-formed read (unless it failed, which means NEEDS_RESET), and
 * a reset and a clean initialisation make both queues serve.
 */
class DeviceStatusFuzzTest {

    private static final int QUEUES = 2;
    private static final int QUEUE_SIZE = 16;
    private static final int DEFINED = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.DRIVER_OK
            | DeviceStatus.FEATURES_OK | DeviceStatus.NEEDS_RESET | DeviceStatus.FAILED;
    /** The usual steps, so the input reaches DRIVER_OK often; any byte is possible too. */
    private static final int[] STATUS_STEPS = {DeviceStatus.ACKNOWLEDGE, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER,
        DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK,
        DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK,
        DeviceStatus.FAILED, DeviceStatus.NEEDS_RESET, 0};
    /** Rings of queues set up elsewhere than the driver's rings: a junk area above the queues. */
    private static final long JUNK = FuzzDevice.free(QUEUES);
    private static final int JUNK_SIZE = 0x2000;

    private static FuzzDevice device;

    @AfterAll
    static void closeDevice() {
        if (device != null && device.ownedByThisThread()) {
            device.close();
        }
        device = null;
    }

    @FuzzTest
    void anyOrderOfConfigurationLeavesTheDeviceServingOrNeedingReset(FuzzedDataProvider data) {
        if (device == null || !device.ownedByThisThread()) {
            device = new FuzzDevice(QUEUES, 2, QUEUE_SIZE, null, false, (int) (JUNK + JUNK_SIZE - FuzzDevice.RAM_BASE));
        }
        device.resetForInput();
        new Run(device, data).run();
    }

    private static final class Run {
        private final FuzzDevice f;
        private final FuzzedDataProvider data;
        private final GuestRamWatch watch;
        private final long offered;
        /** The layout the device holds for each queue (null: none), as this model tracks it. */
        private final RingLayout[] deviceLayout = new RingLayout[QUEUES];
        /** The layouts the device went live with; null for queues it did not start. */
        private final RingLayout[] started = new RingLayout[QUEUES];
        private boolean live;
        /** Every bit the driver wrote to the status since the last reset. */
        private int written;
        /** Reads each queue's driver has outstanding, by slot. */
        private final long[][] outstanding = new long[QUEUES][FuzzDevice.SLOTS];
        private final int[] outstandingCount = new int[QUEUES];

        Run(FuzzDevice f, FuzzedDataProvider data) {
            this.f = f;
            this.data = data;
            this.watch = f.watch;
            this.offered = f.device.deviceFeatures();
            reset();
        }

        void run() {
            for (int op = 0; op < 48 && data.remainingBytes() > 0; op++) {
                int before = f.device.status();
                switch (data.consumeInt(0, 7)) {
                    case 0 -> writeStatus(before);
                    case 1 -> f.device.driverFeatures(features());
                    case 2 -> setUpQueue();
                    case 3 -> submit(data.consumeInt(0, QUEUES - 1));
                    case 4 -> f.device.notifyQueue(data.consumeBoolean() ? data.consumeInt(-1, QUEUES) : data.consumeInt());
                    case 5 -> poll();
                    case 6 -> f.device.readConfig(data.consumeInt(), data.consumeInt());
                    default -> {
                        f.device.status(0);
                        reset();
                    }
                }
                checkStatus();
            }
            poll();
            startedQueuesServe();
            recovers();
        }

        private void writeStatus(int before) {
            int value = data.consumeBoolean() ? STATUS_STEPS[data.consumeInt(0, STATUS_STEPS.length - 1)]
                    : data.consumeInt();
            f.device.status(value);
            written |= value & 0xff;
            int after = f.device.status();
            if ((value & 0xff) == 0) {
                assertThat(after).as("status after writing 0").isZero();
                reset();
                return;
            }
            int kept = before | (value & 0xff & ~(DeviceStatus.NEEDS_RESET | DeviceStatus.FEATURES_OK));
            assertThat(after & kept).as("status bits kept after writing %d over %d", value, before).isEqualTo(kept);
            if (!live && (after & DeviceStatus.DRIVER_OK) != 0 && (after & DeviceStatus.FEATURES_OK) != 0
                    && (after & (DeviceStatus.NEEDS_RESET | DeviceStatus.FAILED)) == 0) {
                live = true; // the device started the queues set up so far
                System.arraycopy(deviceLayout, 0, started, 0, QUEUES);
            }
        }

        private long features() {
            return switch (data.consumeInt(0, 4)) {
                case 0 -> offered;
                case 1 -> FuzzDevice.VERSION_1;
                case 2 -> offered & ~FuzzDevice.VERSION_1;
                case 3 -> offered | 1L << data.consumeInt(0, 63);
                default -> data.consumeLong();
            };
        }

        /** Any index and size; the driver's own rings, rings in a junk area, or any addresses. */
        private void setUpQueue() {
            int index = data.consumeBoolean() ? data.consumeInt(-1, QUEUES) : data.consumeInt();
            int size = data.consumeBoolean() ? 1 << data.consumeInt(0, 6) : data.consumeInt();
            boolean accepted = index >= 0 && index < QUEUES && !live && size >= 1 && size <= QUEUE_SIZE
                    && Integer.bitCount(size) == 1;
            switch (data.consumeInt(0, 2)) {
                case 0 -> {
                    if (accepted && size == QUEUE_SIZE) {
                        deviceLayout[index] = f.setUpStandardQueue(index, FuzzDevice.VERSION_1);
                        outstandingCount[index] = 0;
                        watch.sync(); // the driver zeroed its rings
                    } else {
                        f.device.setUpQueue(index, size, 0, 0, 0);
                        if (accepted) {
                            deviceLayout[index] = new RingLayout(size, 0, 0, 0); // below guest RAM
                        }
                    }
                }
                case 1 -> junkQueue(index, size, accepted, JUNK + data.consumeInt(0, JUNK_SIZE));
                default -> {
                    long desc = data.consumeLong();
                    long avail = data.consumeLong();
                    long used = data.consumeLong();
                    f.device.setUpQueue(index, size, desc, avail, used);
                    if (accepted) {
                        deviceLayout[index] = new RingLayout(size, desc, avail, used);
                    }
                }
            }
            if (accepted && deviceLayout[index] != null) {
                watch.allow(deviceLayout[index].usedRing(), 6L + 8L * size);
            }
        }

        private void junkQueue(int index, int size, boolean accepted, long base) {
            if (!accepted) {
                f.device.setUpQueue(index, size, base, base, base);
                return;
            }
            RingLayout layout = RingLayout.contiguous(base, size);
            f.device.setUpQueue(index, size, layout.descTable(), layout.availRing(), layout.usedRing());
            deviceLayout[index] = layout;
        }

        /** A well-formed read on queue q's driver rings, if the driver set them up, and a kick. */
        private void submit(int q) {
            DriverRing ring = f.drivers[q];
            int slot = outstandingCount[q];
            if (ring == null || slot == FuzzDevice.SLOTS) {
                return;
            }
            long sector = data.consumeInt(0, 63);
            if (f.offerRead(q, slot, sector) < 0) {
                watch.sync();
                return; // no free descriptors: the driver waits for used ones first
            }
            outstanding[q][slot] = sector;
            outstandingCount[q]++;
            watch.allow(f.data(q, slot), f.blockBytes());
            watch.allow(FuzzDevice.status(q, slot), 1);
            watch.sync();
            f.device.notifyQueue(q);
        }

        private void poll() {
            f.pollAll();
            assertThat(watch.foreignWrite()).as("first device write outside used rings and request buffers")
                    .isEqualTo(-1L);
            watch.sync();
        }

        private void checkStatus() {
            int status = f.device.status();
            // Like QEMU, the device keeps bits the driver wrote even where the spec defines none.
            assertThat(status & ~(DEFINED | written)).as("status bits nobody set").isZero();
            if ((status & DeviceStatus.FEATURES_OK) != 0) {
                long accepted = f.device.negotiatedFeatures();
                assertThat(accepted & ~offered).as("features accepted beyond the offer").isZero();
                assertThat(VirtioBlkFeatures.has(accepted, VirtioBlkFeatures.VERSION_1)).as("VERSION_1").isTrue();
            }
            boolean anyFailed = false;
            for (int q = 0; q < QUEUES; q++) {
                anyFailed |= f.device.queue(q).isFailed();
            }
            assertThat((status & DeviceStatus.NEEDS_RESET) != 0).as("NEEDS_RESET iff a queue failed")
                    .isEqualTo(anyFailed);
        }

        /** The model's view of a reset: nothing set up, nothing started, the drivers' rings gone. */
        private void reset() {
            java.util.Arrays.fill(deviceLayout, null);
            java.util.Arrays.fill(started, null);
            java.util.Arrays.fill(f.drivers, null);
            java.util.Arrays.fill(outstandingCount, 0);
            live = false;
            written = 0;
            watch.clearAllowed();
            watch.sync();
        }

        /** Every queue started on the driver's rings has served each read, unless it failed. */
        private void startedQueuesServe() {
            for (int q = 0; q < QUEUES; q++) {
                DriverRing ring = f.drivers[q];
                if (started[q] == null || ring == null || !started[q].equals(ring.layout())) {
                    continue;
                }
                if (f.device.queue(q).isFailed()) {
                    assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).as("NEEDS_RESET of a failed queue")
                            .isNotZero();
                    continue;
                }
                submit(q);
                poll();
                int returned = 0;
                while (ring.pollUsed() >= 0) {
                    returned++;
                }
                assertThat(returned).as("reads returned on queue %d", q).isEqualTo(outstandingCount[q]);
                for (int slot = 0; slot < outstandingCount[q]; slot++) {
                    assertThat(f.readCompleted(q, slot, outstanding[q][slot])).as("read %d on queue %d", slot, q)
                            .isTrue();
                }
            }
        }

        /** Whatever came before, a reset and a clean initialisation make both queues serve. */
        private void recovers() {
            f.device.status(0);
            assertThat(f.device.status()).as("status after reset").isZero();
            reset();
            f.initialise(FuzzDevice.VERSION_1);
            for (int q = 0; q < QUEUES; q++) {
                int head = f.offerRead(q, 0, q);
                f.device.notifyQueue(q);
                f.pollAll();
                assertThat(f.drivers[q].pollUsed()).as("queue %d after reset", q).isEqualTo(head);
                assertThat(f.readCompleted(q, 0, q)).as("queue %d's read after reset", q).isTrue();
            }
            assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
        }
    }
}
