package org.hvkit.aio;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Control of a context's {@link ClockType#VIRTUAL} clock, which runs with the host's
 * monotonic clock until stopped; while stopped it advances only when stepped. Tests use
 * it to fire timers deterministically.
 *
 * <p>Thread-safety: any thread. Stepping wakes the context so that due timers fire in
 * its next poll.
 */
@ProviderType
public interface VirtualClock {

    /** Freezes the clock at its current time. */
    void stop();

    /** Lets the clock run again from where it stands. */
    void start();

    /**
     * Advances a stopped clock.
     *
     * @param nanos how far, 0 or more
     * @throws IllegalStateException if the clock is running
     */
    void step(long nanos);

    /**
     * Tells whether the clock is running.
     *
     * @return true if running
     */
    boolean isRunning();
}
