package org.hvkit.block.virtio.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.ClockType;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test thread is the context's home thread: it polls once before each test (binding the
 * thread) and then blocks in {@code poll(true)} until a completion arrives, bounded by a
 * timer that wakes it after a few seconds.
 */
class FileBackendTest {

    private static final int SECTORS = 64;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @TempDir
    Path dir;

    private final GuestMemory memory = GuestMemory.allocate(0x10000, 0x10000);
    private final RecordingCompletion done = new RecordingCompletion();
    private AioContext context;
    private FileBackend backend;

    @BeforeEach
    void setUp() {
        context = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow().create("file-test");
        context.poll(false);
        backend = FileBackend.openOrCreate(context, dir.resolve("disk.img"), SECTORS * 512);
    }

    @AfterEach
    void tearDown() {
        backend.close();
        context.close();
    }

    /** Polls until {@code completion} has been called once, or fails after the timeout. */
    private void await(RecordingCompletion completion) {
        boolean[] expired = {false};
        AioTimer timer = context.newTimer(ClockType.REALTIME, "test-timeout", () -> expired[0] = true);
        timer.modRelativeNanos(TIMEOUT_NANOS);
        while (completion.calls == 0 && !expired[0]) {
            context.poll(true);
        }
        timer.delete();
        assertThat(completion.calls).as("completions before the timeout").isEqualTo(1);
    }

    private IoVector iov(long address, long length) {
        IoVector iov = new IoVector(4);
        iov.add(address, length);
        return iov;
    }

    private void fill(long address, int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        memory.write(address, bytes, 0, length);
    }

    private byte[] guest(long address, int length) {
        byte[] bytes = new byte[length];
        memory.read(address, bytes, 0, length);
        return bytes;
    }

    private int writeAndAwait(FileBackend target, long offset, int length, int value) {
        fill(0x10000, length, value);
        RecordingCompletion w = new RecordingCompletion();
        target.write(memory, iov(0x10000, length), offset, w);
        await(w);
        return w.status;
    }

    @Test
    void shouldReadBackWhatWasWrittenThroughGuestMemory() {
        IoVector two = new IoVector(4);
        fill(0x10000, 512, 0x11);
        fill(0x12000, 1024, 0x22);
        two.add(0x10000, 512);
        two.add(0x12000, 1024);
        RecordingCompletion w = new RecordingCompletion();
        backend.write(memory, two, 1024, w);
        await(w);

        backend.read(memory, iov(0x14000, 1536), 1024, done);
        await(done);

        assertThat(done.status).isEqualTo(BlockCompletion.OK);
        assertThat(guest(0x14000, 512)).containsOnly(0x11);
        assertThat(guest(0x14200, 1024)).containsOnly(0x22);
    }

    @Test
    void shouldCompleteInTheContextsHomeThread() {
        Thread[] completedOn = {null};
        backend.read(memory, iov(0x10000, 512), 0, status -> {
            completedOn[0] = Thread.currentThread();
            done.complete(status);
        });
        assertThat(done.calls).as("completed before the pool ran").isZero();

        await(done);

        assertThat(completedOn[0]).isSameAs(Thread.currentThread());
        assertThat(context.inContextThread()).isTrue();
    }

    @Test
    void shouldCompleteAViewsRequestsInTheViewsContext() {
        writeAndAwait(backend, 512, 512, 0x5a);
        AioContext other = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow().create("file-view");
        try {
            BlockBackend view = backend.forContext(other);
            boolean[] inOther = {false};
            view.read(memory, iov(0x14000, 512), 512, status -> {
                inOther[0] = other.inContextThread();
                done.complete(status);
            });
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (done.calls == 0 && System.nanoTime() < deadline) {
                other.poll(true);
            }

            assertThat(done.calls).isEqualTo(1);
            assertThat(done.status).isEqualTo(BlockCompletion.OK);
            assertThat(inOther[0]).as("completed in the view's context").isTrue();
            assertThat(guest(0x14000, 512)).containsOnly(0x5a);
            assertThat(backend.forContext(context)).isSameAs(backend);
        } finally {
            other.close();
        }
    }

    @Test
    void shouldCompleteAFlushOk() {
        writeAndAwait(backend, 0, 512, 0x55);

        backend.flush(done);
        await(done);

        assertThat(done.status).isEqualTo(BlockCompletion.OK);
    }

    @Test
    void shouldReadZeroesAfterWriteZeroes() {
        writeAndAwait(backend, 0, 4096, 0x33);

        RecordingCompletion z = new RecordingCompletion();
        backend.writeZeroes(512, 2048, false, z);
        await(z);
        backend.read(memory, iov(0x14000, 4096), 0, done);
        await(done);

        assertThat(z.status).isEqualTo(BlockCompletion.OK);
        assertThat(guest(0x14000, 512)).containsOnly(0x33);
        assertThat(guest(0x14200, 2048)).containsOnly(0);
        assertThat(guest(0x14a00, 1536)).containsOnly(0x33);
    }

    @Test
    void shouldReadZeroesAfterADiscardLargerThanOneZeroChunk() {
        FileBackend big = FileBackend.openOrCreate(context, dir.resolve("big.img"), 512 * 512);
        fill(0x10000, 0x8000, 0x44);
        for (long at = 0; at < big.capacity(); at += 0x8000) {
            RecordingCompletion w = new RecordingCompletion();
            big.write(memory, iov(0x10000, 0x8000), at, w);
            await(w);
        }

        RecordingCompletion d = new RecordingCompletion();
        big.discard(0, big.capacity(), d);
        await(d);
        big.read(memory, iov(0x10000, 0x8000), big.capacity() - 0x8000, done);
        await(done);
        big.close();

        assertThat(d.status).isEqualTo(BlockCompletion.OK);
        assertThat(guest(0x10000, 0x8000)).containsOnly(0);
    }

    @Test
    void shouldFailWritesDiscardsAndWriteZeroesWhenReadOnly() {
        FileBackend ro = FileBackend.open(context, dir.resolve("disk.img"), true);
        RecordingCompletion d = new RecordingCompletion();
        RecordingCompletion z = new RecordingCompletion();

        int w = writeAndAwait(ro, 0, 512, 0x66);
        ro.discard(0, 512, d);
        ro.writeZeroes(0, 512, true, z);
        ro.close();

        assertThat(ro.isReadOnly()).isTrue();
        assertThat(new int[] {w, d.status, z.status}).containsOnly(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldCompleteWithIoErrorWhenTheFileWasTruncatedBehindIt() throws IOException {
        try (FileChannel other = FileChannel.open(dir.resolve("disk.img"), StandardOpenOption.WRITE)) {
            other.truncate(512);
        }

        backend.read(memory, iov(0x10000, 512), 1024, done);
        await(done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldCompleteWithIoErrorAfterClose() {
        backend.close();
        backend.close(); // a second close is harmless

        backend.read(memory, iov(0x10000, 512), 0, done);
        await(done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldFailARangePastTheCapacityAtOnce() {
        backend.read(memory, iov(0x10000, 1024), (SECTORS - 1) * 512, done);

        assertThat(done.calls).isEqualTo(1);
        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldThrowBeforeCompletingWhenASegmentIsOutsideGuestRam() {
        assertThatThrownBy(() -> backend.read(memory, iov(0x1f000, 0x2000), 0, done))
                .isInstanceOf(GuestMemoryException.class);
        assertThat(done.calls).isZero();
    }

    @Test
    void shouldRefuseToOpenAMissingFileWithAClearMessage() {
        Path missing = dir.resolve("missing.img");

        assertThatThrownBy(() -> FileBackend.open(context, missing, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such file")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void shouldRefuseAnExistingFileOfAnotherCapacity() {
        assertThatThrownBy(() -> FileBackend.openOrCreate(context, dir.resolve("disk.img"), 2 * SECTORS * 512))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity mismatch");
    }

    @Test
    void shouldCreateASparseFileOfTheCapacity() throws IOException {
        assertThat(Files.size(dir.resolve("disk.img"))).isEqualTo(SECTORS * 512L);
        assertThat(backend.capacity()).isEqualTo(SECTORS * 512L);
    }
}
