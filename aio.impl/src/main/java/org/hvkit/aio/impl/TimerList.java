package org.hvkit.aio.impl;

import java.util.List;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.monitor.TimerSnapshot;

/**
 * The armed timers of one clock, sorted by deadline (QEMU's {@code QEMUTimerList}).
 *
 * <p>Thread-safety: arming and disarming from any thread under this object's monitor,
 * which is held only for list surgery, never while a callback runs. The loop reads
 * {@link #earliest} without the monitor to decide whether to take it.
 */
final class TimerList {

    private final ClockType clock;

    /** Guarded by this. */
    private AioTimerImpl first;

    /** Deadline of {@link #first}, or Long.MAX_VALUE; written under the monitor, read lock-free. */
    private volatile long earliest = Long.MAX_VALUE;
    private volatile boolean hasTimers;

    TimerList(ClockType clock) {
        this.clock = clock;
    }

    ClockType clock() {
        return clock;
    }

    /**
     * Arms or re-arms a timer.
     *
     * @return true if it became the earliest deadline
     */
    synchronized boolean arm(AioTimerImpl timer, long expireAt) {
        unlink(timer);
        timer.expireAt = expireAt;
        timer.armed = true;
        AioTimerImpl prev = null;
        AioTimerImpl cur = first;
        // Deadlines compare by difference, as System.nanoTime() values must.
        while (cur != null && cur.expireAt - expireAt <= 0) {
            prev = cur;
            cur = cur.next;
        }
        timer.next = cur;
        if (prev == null) {
            first = timer;
        } else {
            prev.next = timer;
        }
        publishEarliest();
        return first == timer;
    }

    synchronized void disarm(AioTimerImpl timer) {
        unlink(timer);
        publishEarliest();
    }

    synchronized boolean isArmed(AioTimerImpl timer) {
        return timer.armed;
    }

    synchronized long expireTime(AioTimerImpl timer) {
        return timer.armed ? timer.expireAt : -1;
    }

    private void unlink(AioTimerImpl timer) {
        if (!timer.armed) {
            return;
        }
        if (first == timer) {
            first = timer.next;
        } else {
            AioTimerImpl prev = first;
            while (prev.next != timer) {
                prev = prev.next;
            }
            prev.next = timer.next;
        }
        timer.next = null;
        timer.armed = false;
    }

    private void publishEarliest() {
        hasTimers = first != null;
        earliest = first == null ? Long.MAX_VALUE : first.expireAt;
    }

    /** Whether any timer is armed. Any thread, lock-free; the loop asks before reading a clock. */
    boolean hasTimers() {
        return hasTimers;
    }

    /**
     * Nanoseconds until the earliest deadline: 0 if due, -1 if none. Any thread, lock-free.
     */
    long nanosUntilEarliest(long now) {
        if (!hasTimers) {
            return -1;
        }
        long wait = earliest - now;
        return wait <= 0 ? 0 : wait;
    }

    /**
     * Fires every timer due at {@code now}, one at a time without the monitor held, so a
     * callback may re-arm itself or others. Home thread.
     *
     * @return how many fired
     */
    int fireDue(long now) {
        int fired = 0;
        while (hasTimers && earliest - now <= 0) {
            AioTimerImpl due;
            synchronized (this) {
                due = first;
                if (due == null || due.expireAt - now > 0) {
                    break;
                }
                unlink(due);
                publishEarliest();
            }
            fired++;
            due.fire();
        }
        return fired;
    }

    /** Adds every armed timer to {@code out}. */
    synchronized void collect(long now, List<TimerSnapshot> out) {
        for (AioTimerImpl t = first; t != null; t = t.next) {
            out.add(new TimerSnapshot(t.name(), clock, t.expireAt, t.expireAt - now));
        }
    }


    /** Disarms every timer (context close). */
    synchronized void clear() {
        while (first != null) {
            unlink(first);
        }
        publishEarliest();
    }
}
