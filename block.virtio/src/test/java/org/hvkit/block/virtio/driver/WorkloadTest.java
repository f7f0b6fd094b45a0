package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.FileBackend;
import org.hvkit.block.virtio.backend.ForwardingBackend;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The workload on a real device served by IOThreads, the test thread being the vCPU. */
class WorkloadTest {

    private static final long CAPACITY = 4 << 20;
    private static final int BLOCK = 4096;
    private static final Duration LONG = Duration.ofSeconds(60);

    private final List<WorkloadFixture> fixtures = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (WorkloadFixture f : fixtures) {
            f.close();
        }
    }

    private WorkloadFixture fixture(int queues, BlockBackend backend) {
        WorkloadFixture f = new WorkloadFixture(queues, backend);
        fixtures.add(f);
        return f;
    }

    private static WorkloadSpec spec(ReadWriteMode rw, long ioCount) {
        return WorkloadSpec.of(rw, BLOCK, 8, 2, LONG).withIoCount(ioCount);
    }

    @ParameterizedTest
    @EnumSource(ReadWriteMode.class)
    void shouldCompleteTheIoCountInEachModeOnRam(ReadWriteMode rw) {
        WorkloadResult r = fixture(2, new RamBackend(CAPACITY, false)).run(spec(rw, 2000));

        assertCompleted(rw, r, 2000);
    }

    @ParameterizedTest
    @EnumSource(ReadWriteMode.class)
    void shouldCompleteTheIoCountInEachModeOnNull(ReadWriteMode rw) {
        WorkloadResult r = fixture(2, new NullBackend(CAPACITY, false)).run(spec(rw, 2000));

        assertCompleted(rw, r, 2000);
    }

    private static void assertCompleted(ReadWriteMode rw, WorkloadResult r, long ios) {
        assertThat(r.ios()).isEqualTo(ios);
        assertThat(r.bytes()).isEqualTo(ios * BLOCK);
        assertThat(r.errors()).isZero();
        assertThat(r.mismatches()).isZero();
        switch (rw) {
            case READ, RANDREAD -> assertThat(r.writes()).isZero();
            case WRITE, RANDWRITE -> assertThat(r.reads()).isZero();
            default -> assertThat(r.reads()).isPositive().isLessThan(ios);
        }
        assertThat(r.latencyP50Nanos()).isPositive();
        assertThat(r.latencyP50Nanos()).isLessThanOrEqualTo(r.latencyP99Nanos());
        assertThat(r.latencyP99Nanos()).isLessThanOrEqualTo(r.latencyP999Nanos());
        assertThat(r.latencyP999Nanos()).isLessThanOrEqualTo(r.latencyMaxNanos());
    }

    @Test
    void shouldReadTheReadPercentInRandRw() {
        WorkloadResult r = fixture(2, new NullBackend(CAPACITY, false))
                .run(spec(ReadWriteMode.RANDRW, 4000).withReadPercent(75));

        assertThat(r.reads()).isBetween(2700L, 3300L);
        assertThat(r.writes()).isEqualTo(4000 - r.reads());
    }

    @Test
    void shouldStopAtTheRuntime() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDREAD, BLOCK, 8, 2, Duration.ofMillis(300));

        WorkloadResult r = fixture(2, new NullBackend(CAPACITY, false)).run(spec);

        assertThat(r.elapsed()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(r.ios()).isPositive();
        assertThat(r.iops()).isPositive();
    }

    @Test
    void shouldStopAtTheRuntimeBeforeTheIoCount() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.READ, BLOCK, 8, 2, Duration.ofMillis(200))
                .withIoCount(Long.MAX_VALUE);

        WorkloadResult r = fixture(2, new NullBackend(CAPACITY, false)).run(spec);

        assertThat(r.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertThat(r.ios()).isPositive().isLessThan(Long.MAX_VALUE);
    }

    @Test
    void shouldStopAtTheIoCountBeforeTheRuntime() {
        WorkloadResult r = fixture(2, new NullBackend(CAPACITY, false)).run(spec(ReadWriteMode.RANDREAD, 500));

        assertThat(r.ios()).isEqualTo(500);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void shouldReportProgressAboutOncePerSecond() {
        WorkloadFixture f = fixture(1, new NullBackend(CAPACITY, false));
        List<WorkloadResult> reports = new ArrayList<>();
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDREAD, BLOCK, 4, 1, Duration.ofMillis(2500));

        WorkloadResult end = Workload.run(f.driver, f.memory, WorkloadFixture.BUFFERS, WorkloadFixture.BUFFER_SIZE,
                spec, reports::add);

        assertThat(reports).hasSizeBetween(1, 2);
        assertThat(reports.get(0).elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(reports.get(reports.size() - 1).elapsed()).isLessThan(end.elapsed());
        assertThat(end.ios()).isGreaterThanOrEqualTo(reports.get(reports.size() - 1).ios());
    }

    @ParameterizedTest
    @EnumSource(value = ReadWriteMode.class, names = {"WRITE", "RANDWRITE", "RANDRW"})
    void shouldVerifyWithoutMismatchesOnRam(ReadWriteMode rw) {
        WorkloadResult r = fixture(2, new RamBackend(CAPACITY, false)).run(spec(rw, 3000).withVerify(true));

        assertThat(r.mismatches()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.reads()).isPositive();
    }

    @Test
    void shouldReadBackEveryBlockASequentialVerifyWrote() {
        WorkloadResult r = fixture(2, new RamBackend(CAPACITY, false))
                .run(spec(ReadWriteMode.WRITE, 700).withVerify(true));

        assertThat(r.writes()).isEqualTo(700);
        assertThat(r.reads()).isEqualTo(700);
        assertThat(r.mismatches()).isZero();
    }

    @Test
    void shouldCountEveryReadOfCorruptedDataAsAMismatch() {
        WorkloadResult r = fixture(2, new CorruptingBackend(CAPACITY))
                .run(spec(ReadWriteMode.WRITE, 200).withVerify(true));

        assertThat(r.reads()).isEqualTo(200);
        assertThat(r.mismatches()).isEqualTo(200);
        assertThat(r.errors()).isZero();
    }

    @Test
    void shouldCountALostWriteAsAMismatch() {
        WorkloadResult r = fixture(2, new LosingBackend(CAPACITY, 7))
                .run(spec(ReadWriteMode.WRITE, 700).withVerify(true));

        assertThat(r.mismatches()).isEqualTo(100);
    }

    @Test
    void shouldVerifyEightQueuesOnTwoIoThreadsOnAFileWithoutMismatches(@TempDir Path dir) {
        WorkloadFixture f = new WorkloadFixture(8, 2,
                context -> FileBackend.openOrCreate(context, dir.resolve("disk.img"), CAPACITY));
        fixtures.add(f);

        WorkloadResult r = f.run(WorkloadSpec.of(ReadWriteMode.RANDRW, BLOCK, 4, 8, LONG).withIoCount(3000)
                .withVerify(true));

        assertThat(r.ios()).isEqualTo(3000);
        assertThat(r.reads()).isPositive();
        assertThat(r.mismatches()).isZero();
        assertThat(r.errors()).isZero();
        for (int q = 0; q < 8; q++) {
            assertThat(f.device.queue(q).stats().requests()).as("queue %d", q).isPositive();
        }
    }

    @Test
    void shouldEndWithAnErrorWhenTheDeviceNeedsReset() {
        WorkloadFixture f = fixture(2, new FaultingBackend(CAPACITY, 100));

        WorkloadResult r = f.run(WorkloadSpec.of(ReadWriteMode.RANDREAD, BLOCK, 8, 2, LONG));

        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(f.driver.needsReset()).isTrue();
    }

    @Test
    void shouldStopSubmittingAfterAnIoError() {
        WorkloadResult r = fixture(2, new FailingBackend(CAPACITY, 50))
                .run(spec(ReadWriteMode.RANDREAD, 1_000_000));

        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.ios()).isBetween(49L, 49L + 2 * 8);
    }

    @Test
    void shouldGiveUpOnRequestsThatNeverComplete() {
        StallingBackend[] backend = new StallingBackend[1];
        WorkloadFixture f = new WorkloadFixture(2, 1, context -> backend[0] = new StallingBackend(CAPACITY, context));
        fixtures.add(f);
        WorkloadSpec spec = new WorkloadSpec(ReadWriteMode.RANDREAD, BLOCK, 8, 2, Duration.ZERO, 1000, false, 50, 1);

        WorkloadResult r = Workload.run(f.driver, f.memory, WorkloadFixture.BUFFERS, WorkloadFixture.BUFFER_SIZE, spec,
                soFar -> { }, Duration.ofMillis(200));
        backend[0].release();

        assertThat(r.ios()).isZero();
        assertThat(r.errors()).isEqualTo(16);
        assertThat(r.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Test
    void shouldRefuseMoreQueuesThanTheDriverHas() {
        WorkloadFixture f = fixture(2, new NullBackend(CAPACITY, false));

        assertThatThrownBy(() -> f.run(WorkloadSpec.of(ReadWriteMode.READ, BLOCK, 8, 3, LONG)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the driver has 2 queues, the workload needs 3");
    }

    @Test
    void shouldRefuseBuffersThatDoNotHoldEverySlot() {
        WorkloadFixture f = fixture(2, new NullBackend(CAPACITY, false));
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.READ, BLOCK, 8, 2, LONG);

        assertThatThrownBy(() -> Workload.run(f.driver, f.memory, WorkloadFixture.BUFFERS, BLOCK * 15L, spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the workload needs 65536 bytes of guest RAM for its buffers, and has 61440");
    }

    /** Flips one byte of every block it reads, after the read. */
    private static final class CorruptingBackend extends ForwardingBackend {
        CorruptingBackend(long capacity) {
            super(capacity);
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            ram.read(memory, iov, offset, status -> {
                long at = iov.address(0) + 100;
                memory.writeByte(at, (byte) ~memory.readByte(at));
                done.complete(status);
            });
        }
    }

    /** Acknowledges every {@code every}-th write without writing it. */
    private static final class LosingBackend extends ForwardingBackend {
        private final AtomicInteger writes = new AtomicInteger();
        private final int every;

        LosingBackend(long capacity, int every) {
            super(capacity);
            this.every = every;
        }

        @Override
        public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            if (writes.incrementAndGet() % every == 0) {
                done.complete(BlockCompletion.OK);
            } else {
                ram.write(memory, iov, offset, done);
            }
        }
    }

    /** Throws GuestMemoryException on the {@code nth} read: a device error, so NEEDS_RESET. */
    private static final class FaultingBackend extends ForwardingBackend {
        private final AtomicInteger reads = new AtomicInteger();
        private final int nth;

        FaultingBackend(long capacity, int nth) {
            super(capacity);
            this.nth = nth;
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            if (reads.incrementAndGet() == nth) {
                throw new GuestMemoryException(iov.address(0), iov.length(0));
            }
            ram.read(memory, iov, offset, done);
        }
    }

    /** Completes the {@code nth} read with IO_ERROR. */
    private static final class FailingBackend extends ForwardingBackend {
        private final AtomicInteger reads = new AtomicInteger();
        private final int nth;

        FailingBackend(long capacity, int nth) {
            super(capacity);
            this.nth = nth;
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            if (reads.incrementAndGet() == nth) {
                done.complete(BlockCompletion.IO_ERROR);
            } else {
                ram.read(memory, iov, offset, done);
            }
        }
    }

    /**
     * Holds every read until {@link #release()}, which completes them in the context's thread,
     * where the device expects completions.
     */
    private static final class StallingBackend extends ForwardingBackend {
        /** Only the context's thread touches it: reads arrive there and release runs there. */
        private final ArrayDeque<Runnable> held = new ArrayDeque<>();
        private final AioContext context;

        StallingBackend(long capacity, AioContext context) {
            super(capacity);
            this.context = context;
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            held.add(() -> ram.read(memory, iov, offset, done));
        }

        void release() {
            context.execute(() -> {
                for (Runnable r; (r = held.poll()) != null; ) {
                    r.run();
                }
            });
        }
    }
}
