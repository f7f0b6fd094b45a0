package org.hvkit.aio;

/**
 * The clocks a context's timers run on, as QEMU's {@code QEMUClockType}.
 */
public enum ClockType {
    /** Wall-clock time that advances even while the guest is stopped. */
    REALTIME,
    /**
     * Guest time. It advances with the host's monotonic clock while running and can
     * be stopped and stepped by hand, which makes timer tests deterministic.
     */
    VIRTUAL,
    /** The host's clock, as the host's time-of-day may jump; used for host-facing deadlines. */
    HOST
}
