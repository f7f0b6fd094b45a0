package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.driver.VirtioBlkDriver;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A device on one context polled by its own thread, driven by the in-process guest. */
class InProcessGuestTest {

    private static final int QUEUES = 2;
    private static final int QUEUE_SIZE = 64;

    private final AioContext context =
            ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow().create("guest-test");
    private final VirtioBlkDevice device = new VirtioBlkDevice(GuestMemory.of(List.of()),
            VirtioBlkConfig.defaults(8 << 20, QUEUES, QUEUE_SIZE), new RamBackend(8 << 20, false), "guest-test",
            QUEUE_SIZE, List.of(context));
    private final InProcessGuest guest = new InProcessGuest("vtest", device, QUEUE_SIZE);
    private volatile boolean stop;
    private final Thread loop = new Thread(() -> {
        while (!stop) {
            context.poll(true);
        }
    }, "loop-guest-test");

    InProcessGuestTest() {
        loop.start();
    }

    @AfterEach
    void close() throws InterruptedException {
        device.close();
        stop = true;
        context.wakeUp();
        loop.join(10_000);
        context.close();
    }

    @Test
    void shouldRunAVerifyingWorkloadAndLeaveTheDeviceReset() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 16, QUEUES, Duration.ofSeconds(30))
                .withIoCount(5_000).withVerify(true);

        WorkloadResult result = guest.run(spec, soFar -> { });

        assertThat(result.ios()).isGreaterThanOrEqualTo(5_000);
        assertThat(result.mismatches()).isZero();
        assertThat(result.errors()).isZero();
        assertThat(device.status()).isZero();
        assertThat(device.queue(0).stats().requests()).isPositive();
        assertThat(device.queue(1).stats().requests()).isPositive();
    }

    @Test
    void shouldRunAgainAfterAWorkload() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDREAD, 4096, 4, 1, Duration.ofSeconds(30)).withIoCount(100);

        guest.run(spec, soFar -> { });
        WorkloadResult second = guest.run(spec, soFar -> { });

        assertThat(second.errors()).isZero();
        assertThat(second.reads()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void shouldRefuseASecondWorkloadWhileOneRuns() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        WorkloadSpec longRun = WorkloadSpec.of(ReadWriteMode.RANDREAD, 4096, 4, 1, Duration.ofSeconds(2));
        CompletableFuture<WorkloadResult> first =
                CompletableFuture.supplyAsync(() -> guest.run(longRun, soFar -> reported.countDown()));
        assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> guest.run(longRun, soFar -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("vtest is already running a workload");
        assertThat(first.get(10, TimeUnit.SECONDS).errors()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "3, 4, 'vtest has 2 queues, the workload asks for 3'",
        "1, 65, 'vtest''s queues hold 64 requests, the workload asks for an iodepth of 65'"})
    void shouldRefuseAWorkloadThatDoesNotFitTheDevice(int queues, int ioDepth, String message) {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.READ, 4096, ioDepth, queues, Duration.ofSeconds(1));

        assertThatThrownBy(() -> guest.run(spec, soFar -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(device.status() & DeviceStatus.DRIVER_OK).isZero();
    }

    @Test
    void shouldRefuseAWorkloadNeedingMoreGuestRamThanOneRegion() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.READ, 1 << 20, 1024, 2, Duration.ofSeconds(1));
        InProcessGuest big = new InProcessGuest("vtest", device, 1 << 15);

        assertThatThrownBy(() -> big.run(spec, soFar -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vtest: the workload needs 2053 MiB of guest RAM").hasMessageEndingWith("at most 2047 MiB can be had");
    }

    @ParameterizedTest
    @CsvSource({"1, 4", "2, 64", "4, 256", "3, 1024"})
    void shouldLayOutNoMoreRamThanRamNeededSays(int queues, int queueSize) {
        VirtioBlkDevice wide = new VirtioBlkDevice(GuestMemory.of(List.of()),
                VirtioBlkConfig.defaults(1 << 20, queues, queueSize), new RamBackend(1 << 20, false), "wide",
                queueSize, List.of(context));
        try {
            long needed = VirtioBlkDriver.ramNeeded(queues, queueSize);
            GuestMemory ram = GuestMemory.allocate(0x1008, (int) needed); // a base off 16-byte alignment
            wide.memory(ram);
            VirtioBlkDriver driver = new VirtioBlkDriver(wide, ram, 0x1008, needed);

            driver.initialise(queues, queueSize, VirtioBlkDriver.SUPPORTED);

            assertThat(driver.ramUsed()).isLessThanOrEqualTo(needed);
        } finally {
            wide.close();
        }
    }
}
