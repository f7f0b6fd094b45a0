package org.hvkit.aio.impl;

import java.time.Duration;

/**
 * A thread that runs one context's loop ({@code poll(true)} until stopped), then closes
 * the context in its own thread so that the last round of callbacks runs where all the
 * others did.
 *
 * <p>Thread-safety: {@link #start()} and {@link #stop(Duration)} from any thread but the
 * IOThread's own, once each.
 */
final class IoThread {

    private static final System.Logger LOG = System.getLogger(IoThread.class.getName());

    private final AioContextImpl context;
    private final Thread thread;
    private volatile boolean stopping;

    IoThread(String name, String scheduler, AdaptivePolling polling) {
        this.context = new AioContextImpl(name, scheduler, polling, false);
        // QEMU names its IOThreads' threads "IO <id>"; ps and thread dumps read the same.
        this.thread = new Thread(this::run, "IO " + name);
        thread.setDaemon(true);
    }

    AioContextImpl context() {
        return context;
    }

    void start() {
        thread.start();
    }

    private void run() {
        context.bindHomeThread();
        try {
            while (!stopping) {
                try {
                    context.poll(true);
                } catch (RuntimeException | Error e) {
                    // A failing callback must not stop the loop; the BHs after it run in the
                    // next poll, because the slice it came from is still queued.
                    LOG.log(System.Logger.Level.ERROR, "IOThread " + context.name() + ": callback failed", e);
                }
            }
        } finally {
            try {
                context.closeNow();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "IOThread " + context.name()
                        + ": a callback failed in the last round before close", e);
            }
        }
    }

    /**
     * Stops the loop, lets it close its context, and waits for the thread to end.
     *
     * @return whether the thread ended within {@code timeout}
     */
    boolean stop(Duration timeout) {
        stopping = true;
        context.notifyLoop();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
