package org.hvkit.aio.impl;

import java.time.Duration;
import org.hvkit.aio.AioContext;

/**
 * A real {@link IoThread}, as an IOThread configuration would start it, for benchmarks that
 * run outside OSGi: its own thread runs {@code poll(true)} with adaptive polling, by default
 * at {@link IoThreadConfig}'s defaults. The class sits in aio.impl's package because IoThread is
 * package-private there (DS creates it); the benchmarks jar is a plain class path, not a
 * bundle, so sharing the package hides nothing from OSGi.
 *
 * <p>Thread-safety: construct and {@link #close()} from one thread that is not the IOThread.
 */
public final class BenchmarkIoThread implements AutoCloseable {

    /** IoThreadConfig's default poll.max.ns (QEMU's poll-max-ns). */
    public static final long DEFAULT_POLL_MAX_NS = IoThreadSettings.DEFAULT_POLL_MAX_NS;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final IoThread ioThread;

    /**
     * Starts an IOThread whose context uses {@code scheduler}, with poll.grow and poll.shrink
     * at their defaults.
     *
     * @param name the context name; the thread is called "IO " + name
     * @param scheduler "sliced" or "linear"
     * @param pollMaxNs the longest busy-polling window, as poll.max.ns; 0 disables polling
     */
    public BenchmarkIoThread(String name, String scheduler, long pollMaxNs) {
        ioThread = new IoThread(name, scheduler, new AdaptivePolling(pollMaxNs, 0, 0));
        ioThread.start();
    }

    /** The context the IOThread runs. Thread-safety: any thread. */
    public AioContext context() {
        return ioThread.context();
    }

    /** Stops the loop, which closes its context in its own thread. */
    @Override
    public void close() {
        if (!ioThread.stop(STOP_TIMEOUT)) {
            throw new IllegalStateException("IOThread " + ioThread.context().name() + " did not stop within "
                    + STOP_TIMEOUT);
        }
    }
}
