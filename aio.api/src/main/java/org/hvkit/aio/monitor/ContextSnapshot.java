package org.hvkit.aio.monitor;

import java.util.List;
import java.util.Objects;

/**
 * A consistent picture of one context, taken inside its home thread.
 *
 * @param name the context's name
 * @param scheduler {@code sliced} or {@code linear}
 * @param threadName the home thread's name, or empty if no thread has polled yet
 * @param takenAtNanos {@link System#nanoTime()} when it was taken
 * @param pendingBottomHalves every BH waiting on a list, in the order the loop visits them
 * @param createdBottomHalves BHs alive (created and not deleted); -1 when the scheduler
 *     does not track them (the sliced scheduler keeps no list of idle BHs)
 * @param sliceDepth slices being processed now (nested polls in progress)
 * @param maxSliceDepth the deepest nesting seen
 * @param timers armed timers, earliest first
 * @param pollMaxNanos the adaptive-polling limit, 0 if disabled
 * @param pollWindowNanos the current adaptive-polling window
 * @param counters the counters
 */
public record ContextSnapshot(
        String name,
        String scheduler,
        String threadName,
        long takenAtNanos,
        List<PendingBottomHalf> pendingBottomHalves,
        long createdBottomHalves,
        int sliceDepth,
        int maxSliceDepth,
        List<TimerSnapshot> timers,
        long pollMaxNanos,
        long pollWindowNanos,
        ContextCounters counters) {

    /** Checks and copies the arguments. */
    public ContextSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(threadName, "threadName");
        pendingBottomHalves = List.copyOf(pendingBottomHalves);
        timers = List.copyOf(timers);
        Objects.requireNonNull(counters, "counters");
    }
}
