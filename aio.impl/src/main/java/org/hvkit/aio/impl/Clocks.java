package org.hvkit.aio.impl;

import org.hvkit.aio.ClockType;

/**
 * The three clocks of one context.
 *
 * <p>Thread-safety: any thread.
 */
final class Clocks {

    private final VirtualClockImpl virtual;

    Clocks(VirtualClockImpl virtual) {
        this.virtual = virtual;
    }

    long now(ClockType clock) {
        switch (clock) {
            case REALTIME:
                return System.nanoTime();
            case VIRTUAL:
                return virtual.now();
            case HOST:
                return System.currentTimeMillis() * 1_000_000L;
            default:
                throw new IllegalArgumentException("unknown clock " + clock);
        }
    }

    VirtualClockImpl virtual() {
        return virtual;
    }

    /** Whether deadlines on this clock arrive without anyone acting: false for a stopped VIRTUAL clock. */
    boolean advances(ClockType clock) {
        return clock != ClockType.VIRTUAL || virtual.isRunning();
    }
}
