package org.hvkit.aio.impl;

import org.hvkit.aio.VirtualClock;

/**
 * A context's VIRTUAL clock: the host's monotonic time plus an offset while running,
 * a frozen value while stopped.
 *
 * <p>Thread-safety: {@link #now()} from any thread, lock-free; the controls from any
 * thread, serialised by this object's monitor (they are rare).
 */
final class VirtualClockImpl implements VirtualClock {

    private static final long RUNNING = Long.MIN_VALUE;

    private final Runnable wakeLoop;

    /** Added to System.nanoTime() while running. Written before {@link #frozenAt} in start(). */
    private volatile long offset;

    /** The frozen time, or {@link #RUNNING}. */
    private volatile long frozenAt = RUNNING;

    VirtualClockImpl(Runnable wakeLoop) {
        this.wakeLoop = wakeLoop;
    }

    /** The clock's time. Any thread. */
    long now() {
        long frozen = frozenAt;
        // Reading frozenAt first: a RUNNING value was written after the offset it goes with.
        return frozen == RUNNING ? System.nanoTime() + offset : frozen;
    }

    @Override
    public synchronized void stop() {
        if (frozenAt == RUNNING) {
            frozenAt = System.nanoTime() + offset;
        }
    }

    @Override
    public synchronized void start() {
        long frozen = frozenAt;
        if (frozen != RUNNING) {
            offset = frozen - System.nanoTime();
            frozenAt = RUNNING;
            wakeLoop.run();
        }
    }

    @Override
    public synchronized void step(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot step the virtual clock backwards: " + nanos);
        }
        if (frozenAt == RUNNING) {
            throw new IllegalStateException("stop the virtual clock before stepping it");
        }
        frozenAt += nanos;
        wakeLoop.run();
    }

    @Override
    public boolean isRunning() {
        return frozenAt == RUNNING;
    }
}
