package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.VirtioRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver model against a real device on RamBackend; the test thread polls the context. */
class VirtioBlkDriverTest {

    private static final long RAM_BASE = 0x10000;
    private static final int RAM_SIZE = 0x400000;
    private static final long CAPACITY = 1 << 20;
    private static final int QUEUE_SIZE = 64;
    private static final long DATA = RAM_BASE + 0x200000;
    private static final int BLOCK = 4096;

    private final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    private final List<AioContext> contexts = new ArrayList<>();
    private VirtioBlkDevice device;
    private VirtioBlkDriver driver;
    private final List<Integer> statuses = new ArrayList<>();

    @BeforeEach
    void setUp() {
        AioContextFactory factory = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();
        contexts.add(factory.create("driver-test"));
        contexts.get(0).poll(false); // makes the test thread the context's home thread
        device = new VirtioBlkDevice(memory, VirtioBlkConfig.defaults(CAPACITY, 1, QUEUE_SIZE),
                new RamBackend(CAPACITY, false), "hvkit-test", QUEUE_SIZE, contexts);
        driver = new VirtioBlkDriver(device, memory, RAM_BASE, 0x100000);
    }

    @AfterEach
    void tearDown() {
        device.close();
        contexts.forEach(AioContext::close);
    }

    private void pollUntilQuiet() {
        for (int i = 0; i < 100 && contexts.get(0).poll(false); i++) {
            // handler, backend completion, interrupt BH
        }
    }

    private int run(int type, long sector, long buffer, int length) {
        assertThat(driver.submit(0, type, sector, buffer, length, statuses::add)).isTrue();
        pollUntilQuiet();
        driver.reapCompletions(0);
        return statuses.get(statuses.size() - 1);
    }

    @Test
    void shouldReachDriverOkWithVersion1AndTheCapacity() {
        driver.initialise(1, QUEUE_SIZE, -1L);

        assertThat(device.status() & DeviceStatus.DRIVER_OK).isNotZero();
        assertThat(VirtioBlkFeatures.has(driver.features(), VirtioBlkFeatures.VERSION_1)).isTrue();
        assertThat(driver.capacitySectors()).isEqualTo(CAPACITY / VirtioBlkProtocol.SECTOR_SIZE);
    }

    @Test
    void shouldReadBackAWrittenPattern() {
        driver.initialise(1, QUEUE_SIZE, -1L);
        byte[] pattern = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        memory.write(DATA, pattern, 0, BLOCK);

        int written = run(VirtioBlkProtocol.T_OUT, 16, DATA, BLOCK);
        int read = run(VirtioBlkProtocol.T_IN, 16, DATA + BLOCK, BLOCK);

        byte[] back = new byte[BLOCK];
        memory.read(DATA + BLOCK, back, 0, BLOCK);
        assertThat(written).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(read).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(back).isEqualTo(pattern);
        assertThat(driver.inFlight(0)).isZero();
    }

    @Test
    void shouldCompleteAFlushOk() {
        driver.initialise(1, QUEUE_SIZE, VirtioBlkFeatures.bit(VirtioBlkFeatures.FLUSH));

        assertThat(run(VirtioBlkProtocol.T_FLUSH, 0, 0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldReportIoErrorForARequestPastCapacity() {
        driver.initialise(1, QUEUE_SIZE, -1L);

        int status = run(VirtioBlkProtocol.T_IN, driver.capacitySectors(), DATA, BLOCK);

        assertThat(status).isEqualTo(VirtioBlkProtocol.S_IOERR);
    }

    @Test
    void shouldCountARequestInFlightUntilReaped() {
        driver.initialise(1, QUEUE_SIZE, -1L);
        driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add);
        assertThat(driver.inFlight(0)).isEqualTo(1);

        pollUntilQuiet();

        assertThat(driver.interruptPending(0)).isTrue();
        assertThat(driver.reapCompletions(0)).isEqualTo(1);
        assertThat(driver.inFlight(0)).isZero();
        assertThat(driver.interruptPending(0)).isFalse();
    }

    @Test
    void shouldNotKickWhileTheDeviceHasNotificationsDisabled() {
        driver.initialise(1, QUEUE_SIZE, 0);
        memory.writeShort(driver.ring(0).layout().usedFlags(), (short) 1); // VIRTQ_USED_F_NO_NOTIFY

        driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add);

        assertThat(driver.kicks(0)).isZero();
    }

    @Test
    void shouldTakeOneRingDescriptorPerRequestWithIndirectDescriptors() {
        driver.initialise(1, QUEUE_SIZE, -1L);

        driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add);

        assertThat(VirtioBlkFeatures.has(driver.features(), VirtioBlkFeatures.RING_INDIRECT_DESC)).isTrue();
        assertThat(driver.ring(0).freeCount()).isEqualTo(QUEUE_SIZE - 1);
        int flags = memory.readShort(driver.ring(0).layout().descriptor(0) + 12);
        assertThat(flags).isEqualTo(VirtioRing.DESC_F_INDIRECT);
    }

    @Test
    void shouldTakeThreeRingDescriptorsPerRequestWithoutIndirectDescriptors() {
        driver.initialise(1, QUEUE_SIZE, 0);

        driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add);

        assertThat(VirtioBlkFeatures.has(driver.features(), VirtioBlkFeatures.RING_INDIRECT_DESC)).isFalse();
        assertThat(driver.ring(0).freeCount()).isEqualTo(QUEUE_SIZE - 3);
    }

    @Test
    void shouldKeepAQueueSizeOfRequestsInFlightWithIndirectDescriptors() {
        driver.initialise(1, QUEUE_SIZE, -1L);

        int submitted = 0;
        while (driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add)) {
            submitted++;
        }
        pollUntilQuiet();

        assertThat(submitted).isEqualTo(QUEUE_SIZE);
        assertThat(driver.reapCompletions(0)).isEqualTo(QUEUE_SIZE);
        assertThat(statuses).hasSize(QUEUE_SIZE).containsOnly(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldFlushThroughAnIndirectTable() {
        driver.initialise(1, QUEUE_SIZE, -1L);

        assertThat(run(VirtioBlkProtocol.T_FLUSH, 0, 0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldGetAnInterruptForEachRequestWithEventIdx() {
        driver.initialise(1, QUEUE_SIZE, VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_EVENT_IDX));
        for (int i = 0; i < 3; i++) {
            driver.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add);
            pollUntilQuiet();

            assertThat(driver.interruptPending(0)).as("interrupt %d", i).isTrue();
            assertThat(driver.reapCompletions(0)).isEqualTo(1);
        }
        assertThat(VirtioBlkFeatures.has(driver.features(), VirtioBlkFeatures.RING_EVENT_IDX)).isTrue();
    }

    @Test
    void shouldAllocateNothingPerRequestInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        driver.initialise(1, QUEUE_SIZE, -1L);
        VirtioBlkDriver.RequestCallback ignore = status -> { };
        requests(20_000, ignore);

        long before = threads.getCurrentThreadAllocatedBytes();
        requests(20_000, ignore);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated / 20_000.0).isLessThan(1.0);
    }

    private void requests(int n, VirtioBlkDriver.RequestCallback callback) {
        for (int i = 0; i < n; i++) {
            driver.submit(0, i % 2 == 0 ? VirtioBlkProtocol.T_IN : VirtioBlkProtocol.T_OUT, i % 64, DATA, BLOCK,
                    callback);
            contexts.get(0).poll(false); // the kick handler
            contexts.get(0).poll(false); // the interrupt BH
            driver.reapCompletions(0);
        }
    }

    @Test
    void shouldNotNeedResetWhileTheDeviceIsHealthy() {
        driver.initialise(1, QUEUE_SIZE, -1L);
        run(VirtioBlkProtocol.T_IN, 0, DATA, BLOCK);

        assertThat(driver.needsReset()).isFalse();
        assertThat(driver.awaitInterrupt(0)).isFalse();
    }

    @Test
    void shouldSeeNeedsResetAfterAMalformedChain() {
        driver.initialise(1, QUEUE_SIZE, -1L);
        driver.ring(0).offer(QUEUE_SIZE + 5); // a head outside the descriptor table: a device error
        driver.ring(0).publish();
        device.notifyQueue(0);

        pollUntilQuiet();

        assertThat(driver.needsReset()).isTrue();
        assertThat(driver.awaitInterrupt(0)).isTrue();
    }

    @Test
    void shouldNoLongerNeedResetAfterInitialising() {
        driver.initialise(1, QUEUE_SIZE, -1L);
        driver.ring(0).offer(QUEUE_SIZE + 5);
        driver.ring(0).publish();
        device.notifyQueue(0);
        pollUntilQuiet();

        driver.initialise(1, QUEUE_SIZE, -1L);

        assertThat(driver.needsReset()).isFalse();
        assertThat(run(VirtioBlkProtocol.T_IN, 0, DATA, BLOCK)).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldReinitialiseAThousandTimesInTheSameRam() {
        VirtioBlkDriver small = new VirtioBlkDriver(device, memory, RAM_BASE, 0x4000);
        small.initialise(1, QUEUE_SIZE, -1L);
        long used = small.ramUsed();

        for (int i = 0; i < 1000; i++) {
            small.initialise(1, QUEUE_SIZE, -1L);
        }

        assertThat(small.ramUsed()).isEqualTo(used);
        assertThat(device.status() & DeviceStatus.DRIVER_OK).isNotZero();
        assertThat(small.submit(0, VirtioBlkProtocol.T_IN, 0, DATA, BLOCK, statuses::add)).isTrue();
        pollUntilQuiet();
        assertThat(small.reapCompletions(0)).isEqualTo(1);
        assertThat(statuses).containsExactly(VirtioBlkProtocol.S_OK);
    }
}
