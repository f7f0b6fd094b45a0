package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.hvkit.block.virtio.blk.KickSource;

/**
 * A front-end's kick eventfd as a JDK channel, so the queue's IOThread waits on it in its own
 * selector, as QEMU's IOThread does with {@code aio_set_event_notifier}.
 *
 * <p>The JDK makes selectable channels only over descriptors it created itself. So the
 * channel is the read end of a JDK {@link Pipe}, and {@code dup3(2)} puts the eventfd under
 * that end's descriptor number, atomically closing the pipe's read end: from then on the
 * channel's selector waits on the eventfd, and closing the channel closes it. The JDK does
 * not tell a channel's number; it is found in {@code /proc/self/fd} as the one read end of a
 * pipe that holds exactly the bytes just written into this pipe, and still does after one of
 * them is read through the channel.
 *
 * <p>Ownership: the channel owns its copy of the eventfd; {@link #adopt} closes the descriptor
 * it is given. A channel closed while a selector holds it stays open until that selector
 * deregisters it (the JDK's rule), so {@link #clear()} in the selector's thread never reads a
 * number that was closed and reused.
 *
 * <p>Thread-safety: {@link #adopt}, {@link #channel()} and {@link #close()} from any thread;
 * {@link #clear()} only in the thread of the selector the channel is registered with.
 */
final class KickChannel implements KickSource, AutoCloseable {

    /** The probe's bytes stay under PIPE_BUF, so one write puts all of them in the pipe. */
    private static final int MAX_PROBE = 4000;
    private static final int PROBE_ATTEMPTS = 3;

    private final Pipe.SourceChannel channel;
    private final int number;
    /** The eventfd's 8-byte counter, read into; only the selector's thread. */
    private final byte[] counter = new byte[8];

    private KickChannel(Pipe.SourceChannel channel, int number) {
        this.channel = channel;
        this.number = number;
    }

    /**
     * Makes a channel of the kick eventfd {@code kick} and closes {@code kick}, also on failure.
     *
     * @param kick a non-blocking eventfd, owned from now on
     * @return the channel, non-blocking
     * @throws IOException if {@code kick} is not an open eventfd, or the pipe's number cannot
     *     be found
     */
    static KickChannel adopt(FileDescriptor kick) throws IOException {
        try {
            int kickNumber = Descriptors.requireEventfd(kick);
            Pipe pipe = Pipe.open();
            try {
                int number = readEndNumber(pipe);
                if (LinuxCalls.dup3(kickNumber, number, LinuxCalls.O_CLOEXEC) != number) {
                    throw new IOException("dup3 of the kick descriptor failed");
                }
                pipe.source().configureBlocking(false);
                pipe.sink().close();
                return new KickChannel(pipe.source(), number);
            } catch (IOException | RuntimeException e) {
                pipe.source().close();
                pipe.sink().close();
                throw e;
            }
        } finally {
            Descriptors.close(kick);
        }
    }

    /**
     * The descriptor number of {@code pipe}'s read end. Another pipe of this process may hold
     * the same count of bytes at the first look; that it also loses exactly one byte while the
     * probe reads one from its own pipe is most unlikely, and a probe that still finds more
     * than one candidate (or none) is tried again with another count. Two devices probing at
     * once pick their counts at random, so they tell their pipes apart the same way.
     */
    private static int readEndNumber(Pipe pipe) throws IOException {
        for (int attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
            int probe = 2 + ThreadLocalRandom.current().nextInt(MAX_PROBE - 1);
            write(pipe, probe);
            List<Integer> candidates = pipesHolding(probe, pipeNumbers());
            read(pipe, 1);
            candidates = pipesHolding(probe - 1, candidates);
            read(pipe, probe - 1);
            if (candidates.size() == 1) {
                return candidates.get(0);
            }
        }
        throw new IOException("cannot find the descriptor of a pipe's read end in /proc/self/fd");
    }

    /** The numbers in {@code /proc/self/fd} that are the read ends of pipes. */
    private static List<Integer> pipeNumbers() throws IOException {
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
                        int n = Integer.parseInt(fd.getFileName().toString());
                        int flags = LinuxCalls.fcntl(n, LinuxCalls.F_GETFL);
                        if (flags >= 0 && (flags & LinuxCalls.O_ACCMODE) == LinuxCalls.O_RDONLY) {
                            numbers.add(n); // FIONREAD answers for both ends
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // Closed since the listing (or the listing's own descriptor): not ours.
                }
            }
        }
        return numbers;
    }

    /** Those of {@code numbers} that hold exactly {@code bytes} unread bytes. */
    private static List<Integer> pipesHolding(int bytes, List<Integer> numbers) {
        List<Integer> holding = new ArrayList<>();
        int[] unread = new int[1];
        for (int n : numbers) {
            if (LinuxCalls.ioctl(n, LinuxCalls.FIONREAD, unread) == 0 && unread[0] == bytes) {
                holding.add(n);
            }
        }
        return holding;
    }

    private static void write(Pipe pipe, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            pipe.sink().write(b);
        }
    }

    private static void read(Pipe pipe, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            if (pipe.source().read(b) < 0) {
                throw new IOException("the probe pipe closed");
            }
        }
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    /** {@inheritDoc} One 8-byte read of the eventfd, which resets its counter. */
    @Override
    public void clear() {
        LinuxCalls.read(number, counter, counter.length);
    }

    /** The descriptor number the eventfd now has; for tests. */
    int number() {
        return number;
    }

    /** Closes the channel, and with it the eventfd (see the class comment for when). Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing our own descriptor: nothing to do if it fails.
        }
    }
}
