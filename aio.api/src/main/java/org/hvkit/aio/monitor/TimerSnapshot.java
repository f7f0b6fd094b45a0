package org.hvkit.aio.monitor;

import java.util.Objects;
import org.hvkit.aio.ClockType;

/**
 * One armed timer.
 *
 * @param name the timer's name
 * @param clock its clock
 * @param expireAtNanos the clock time it is armed for
 * @param remainingNanos how long until then at snapshot time; negative if overdue
 */
public record TimerSnapshot(String name, ClockType clock, long expireAtNanos, long remainingNanos) {

    /** Checks the arguments. */
    public TimerSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clock, "clock");
    }
}
