package org.hvkit.aio.impl;

/**
 * QEMU's adaptive polling: before blocking, busy-wait up to a window for work; grow the
 * window when blocking was short, shrink it when it was long. Defaults as QEMU's IOThreads:
 * {@code poll-max-ns} 32768, grow ×2 starting at 4 µs, shrink to 0.
 *
 * <p>Thread-safety: only the home thread.
 */
final class AdaptivePolling {

    /** QEMU's starting window when growing from 0. */
    static final long INITIAL_WINDOW_NS = 4_000;

    private final long maxNs;
    private final long grow;
    private final long shrink;
    private long windowNs;

    /**
     * @param maxNs the largest window; 0 disables polling
     * @param grow the growth factor; 0 means 2
     * @param shrink the shrink divisor; 0 means reset to 0
     */
    AdaptivePolling(long maxNs, long grow, long shrink) {
        if (maxNs < 0 || grow < 0 || shrink < 0) {
            throw new IllegalArgumentException("poll.max.ns, poll.grow and poll.shrink must be 0 or more");
        }
        this.maxNs = maxNs;
        this.grow = grow == 0 ? 2 : grow;
        this.shrink = shrink;
    }

    boolean enabled() {
        return maxNs > 0;
    }

    long maxNs() {
        return maxNs;
    }

    long windowNs() {
        return windowNs;
    }

    /**
     * Busy-waits up to the window, or {@code timeoutNs} if shorter, for {@code work}.
     *
     * @return true if work appeared
     */
    boolean spin(long startNs, long timeoutNs, java.util.function.BooleanSupplier work) {
        long limit = timeoutNs < 0 ? windowNs : Math.min(windowNs, timeoutNs);
        if (limit <= 0) {
            return false;
        }
        do {
            if (work.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - startNs < limit);
        return false;
    }

    /** Adjusts the window after a poll that took {@code blockNs} from start to wake-up. */
    void adjust(long blockNs) {
        if (blockNs <= windowNs) {
            return;
        }
        if (blockNs > maxNs) {
            windowNs = shrink == 0 ? 0 : windowNs / shrink;
        } else if (windowNs < maxNs) {
            windowNs = windowNs == 0 ? INITIAL_WINDOW_NS : windowNs * grow;
            windowNs = Math.min(windowNs, maxNs);
        }
    }
}
