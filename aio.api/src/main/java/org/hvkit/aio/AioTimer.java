package org.hvkit.aio;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A one-shot timer on one of the context's clocks (QEMU's {@code QEMUTimer}). The callback
 * runs in the home thread once the clock reaches the expiry time; re-arm it from the
 * callback for periodic work.
 *
 * <p>Thread-safety: any thread. Arming from another thread wakes the loop if the new
 * deadline is earlier than the one it sleeps towards.
 */
@ProviderType
public interface AioTimer {

    /**
     * Arms (or re-arms) the timer to expire at an absolute time of its clock
     * ({@code timer_mod_ns}).
     *
     * @param expireAtNanos the clock time at which the callback runs
     * @throws IllegalStateException if the timer was deleted or its context closed
     */
    void modNanos(long expireAtNanos);

    /**
     * Arms the timer to expire {@code delayNanos} from now on its clock.
     *
     * @param delayNanos the delay, 0 or more
     * @throws IllegalStateException if the timer was deleted or its context closed
     */
    void modRelativeNanos(long delayNanos);

    /** Disarms the timer ({@code timer_del}); it may be armed again. */
    void cancel();

    /** Disarms and forgets the timer; later {@code mod} calls throw. Idempotent. */
    void delete();

    /**
     * Tells whether the timer is armed.
     *
     * @return true if armed and not yet fired
     */
    boolean isPending();

    /**
     * The clock time the timer is armed for.
     *
     * @return the expiry time, or -1 if not armed
     */
    long expireTimeNanos();

    /**
     * The timer's name.
     *
     * @return the name given at creation
     */
    String name();

    /**
     * The clock the timer runs on.
     *
     * @return the clock
     */
    ClockType clock();
}
