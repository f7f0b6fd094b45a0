package org.hvkit.block.virtio.backend;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;

/**
 * A backend on a host file ({@code file} in QEMU): positional {@link FileChannel} I/O run
 * in the blocking pool of one {@link AioContext} through {@link AioContext#submitBlocking},
 * completing in that context's home thread. FLUSH is {@link FileChannel#force(boolean)
 * force(true)}: an acknowledged flush means every completed write is on disk. Discard and
 * write-zeroes write zeroes in bounded chunks from one shared zero buffer.
 *
 * <p>Contexts: the backend is opened with one context, and {@link #forContext} gives a view
 * of the same file for each further context, so every queue's requests run in its own
 * context's pool and complete in its own home thread. Views share the channel and are never
 * closed themselves: closing the backend that was opened closes the file for all of them.
 *
 * <p>Allocation: a read or write allocates one heap buffer of the request's size (at most
 * {@link #MAX_REQUEST_BYTES}) plus the pool's own per-task objects; guest data is copied
 * with {@link GuestMemory#copyTo}/{@link GuestMemory#copyFrom} in the home thread, never in
 * a pool thread. Flush, discard and write-zeroes allocate only the pool's objects.
 *
 * <p>Errors: every I/O failure, a range outside the capacity, a write to a read-only file,
 * a request too large and a closed context complete with {@link BlockCompletion#IO_ERROR};
 * only a segment outside guest RAM throws ({@link GuestMemoryException}, before completing).
 *
 * <p>Thread-safety: the I/O methods from the context's home thread (per {@link BlockBackend});
 * the channel is used only positionally, so concurrent requests do not share state.
 * {@link #close()} from any thread; requests in flight then complete with IO_ERROR.
 */
public final class FileBackend implements BlockBackend, AutoCloseable {

    /** The largest read or write one request may carry; larger ones complete with IO_ERROR. */
    public static final int MAX_REQUEST_BYTES = 64 << 20;

    /** Chunk of zeroes written per call by discard and write-zeroes. */
    private static final int ZERO_CHUNK = 64 << 10;

    /** Never written after creation, so pool threads may share it through duplicates. */
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final AioContext context;
    private final FileChannel channel;
    private final Path path;
    private final long capacity;
    private final boolean readOnly;

    private FileBackend(AioContext context, FileChannel channel, Path path, long capacity, boolean readOnly) {
        this.context = context;
        this.channel = channel;
        this.path = path;
        this.capacity = capacity;
        this.readOnly = readOnly;
    }

    /**
     * Opens an existing file; its size is the capacity.
     *
     * <p>Thread-safety: any thread.
     *
     * @param context the context whose pool runs the I/O and whose home thread completes it
     * @param path the file
     * @param readOnly true to open the file read-only and fail writes, discards and write-zeroes
     * @return the backend, owning the open channel
     * @throws IllegalArgumentException if the file does not exist or its size is not a
     *     positive multiple of 512
     * @throws UncheckedIOException if the file cannot be opened
     */
    public static FileBackend open(AioContext context, Path path, boolean readOnly) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(path, "path");
        FileChannel channel = openChannel(path, readOnly
                ? new StandardOpenOption[] {StandardOpenOption.READ}
                : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE});
        long size = sizeOf(channel, path);
        if (size <= 0 || size % SECTOR_SIZE != 0) {
            closeQuietly(channel);
            throw new IllegalArgumentException(
                    "file size must be a positive multiple of 512: " + path + " has " + size + " bytes");
        }
        return new FileBackend(context, channel, path, size, readOnly);
    }

    /**
     * Opens a file for reading and writing, creating it (sparse, reading as zeroes) with the
     * given capacity if it does not exist.
     *
     * <p>Thread-safety: any thread.
     *
     * @param context the context whose pool runs the I/O and whose home thread completes it
     * @param path the file
     * @param capacity the size in bytes, a positive multiple of 512
     * @return the backend, owning the open channel
     * @throws IllegalArgumentException if the capacity is not a positive multiple of 512, or
     *     the file exists with another size
     * @throws UncheckedIOException if the file cannot be created or opened
     */
    public static FileBackend openOrCreate(AioContext context, Path path, long capacity) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(path, "path");
        if (capacity <= 0 || capacity % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("capacity must be a positive multiple of 512: " + capacity);
        }
        FileChannel channel = openChannel(path, new StandardOpenOption[] {
            StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE});
        long size = sizeOf(channel, path);
        if (size == 0) {
            extend(channel, path, capacity);
        } else if (size != capacity) {
            closeQuietly(channel);
            throw new IllegalArgumentException(
                    "capacity mismatch: " + path + " has " + size + " bytes, " + capacity + " were asked for");
        }
        return new FileBackend(context, channel, path, capacity, false);
    }

    private static FileChannel openChannel(Path path, StandardOpenOption[] options) {
        try {
            return FileChannel.open(path, options);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(FileChannel channel, Path path) {
        try {
            return channel.size();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes the last byte, so the file gets its size without writing the rest. */
    private static void extend(FileChannel channel, Path path, long capacity) {
        try {
            channel.write(ByteBuffer.allocate(1), capacity - 1);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot size " + path + " to " + capacity + " bytes: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing with a clearer error.
        }
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /** {@inheritDoc} Thread-safety: any thread; the view shares this backend's channel. */
    @Override
    public BlockBackend forContext(AioContext other) {
        Objects.requireNonNull(other, "other");
        return other == context ? this : new FileBackend(other, channel, path, capacity, readOnly);
    }

    /** The file this backend is on. */
    public Path path() {
        return path;
    }

    @Override
    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        requireGuestRange(memory, iov);
        long size = iov.size();
        if (!inRange(offset, size) || size > MAX_REQUEST_BYTES) {
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        submit(() -> readFully(buffer, offset), done, () -> scatter(memory, iov, buffer));
    }

    @Override
    public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
        long size = iov.size();
        if (readOnly || !inRange(offset, size) || size > MAX_REQUEST_BYTES) {
            requireGuestRange(memory, iov);
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        int at = 0;
        for (int i = 0; i < iov.count(); i++) {
            int length = (int) iov.length(i);
            memory.copyTo(iov.address(i), buffer, at, length);
            at += length;
        }
        submit(() -> writeFully(buffer, offset), done, null);
    }

    @Override
    public void flush(BlockCompletion done) {
        if (readOnly) {
            // Nothing was written through this backend, so nothing to make durable.
            done.complete(BlockCompletion.OK);
            return;
        }
        submit(() -> {
            channel.force(true);
            return null;
        }, done, null);
    }

    @Override
    public void discard(long offset, long length, BlockCompletion done) {
        writeZeroes(offset, length, true, done);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
        if (readOnly || !inRange(offset, length)) {
            done.complete(BlockCompletion.IO_ERROR);
            return;
        }
        submit(() -> zero(offset, length), done, null);
    }

    /**
     * Closes the channel. Requests in flight complete with IO_ERROR. Idempotent.
     *
     * <p>Thread-safety: any thread.
     *
     * @throws UncheckedIOException if closing fails
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }

    /** Throws before anything completes if a segment is outside guest RAM, as the contract asks. */
    private static void requireGuestRange(GuestMemory memory, IoVector iov) {
        for (int i = 0; i < iov.count(); i++) {
            if (!memory.contains(iov.address(i), iov.length(i))) {
                throw new GuestMemoryException(iov.address(i), iov.length(i));
            }
        }
    }

    /**
     * Only the home thread: runs {@code io} in the pool; in the home thread runs
     * {@code onSuccess} (if any) and completes. A closed context completes at once.
     */
    private void submit(Callable<Void> io, BlockCompletion done, Runnable onSuccess) {
        try {
            context.submitBlocking(io, (ignored, failure) -> {
                if (failure == null && onSuccess != null) {
                    onSuccess.run();
                }
                done.complete(failure == null ? BlockCompletion.OK : BlockCompletion.IO_ERROR);
            });
        } catch (RuntimeException closed) {
            done.complete(BlockCompletion.IO_ERROR);
        }
    }

    /** Only the home thread, after the read: the segments were checked at submission. */
    private static void scatter(GuestMemory memory, IoVector iov, ByteBuffer buffer) {
        int at = 0;
        for (int i = 0; i < iov.count(); i++) {
            int length = (int) iov.length(i);
            memory.copyFrom(buffer, at, iov.address(i), length);
            at += length;
        }
    }

    /** Only a pool thread. A file shorter than the capacity (truncated behind us) is an error. */
    private Void readFully(ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new EOFException(path + " ends before " + (offset + buffer.limit()));
            }
        }
        return null;
    }

    /** Only a pool thread. */
    private Void writeFully(ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
        return null;
    }

    /** Only a pool thread: writes zeroes in chunks of at most {@link #ZERO_CHUNK}. */
    private Void zero(long offset, long length) throws IOException {
        ByteBuffer zeroes = ZEROES.duplicate();
        long done = 0;
        while (done < length) {
            zeroes.clear().limit((int) Math.min(ZERO_CHUNK, length - done));
            while (zeroes.hasRemaining()) {
                done += channel.write(zeroes, offset + done);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "FileBackend[" + path + ", capacity=" + capacity + (readOnly ? ", read-only]" : "]");
    }
}
