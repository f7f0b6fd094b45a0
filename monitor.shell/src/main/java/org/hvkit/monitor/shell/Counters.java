package org.hvkit.monitor.shell;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * A context's counters by name, in the order of {@link ContextCounters}, and their rates
 * per second between two snapshots of the same context.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class Counters {

    private Counters() {
    }

    /** Every counter by its name in {@link ContextCounters}, in declaration order. */
    static Map<String, Long> byName(ContextCounters c) {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("polls", c.polls());
        values.put("progressPolls", c.progressPolls());
        values.put("bhRuns", c.bhRuns());
        values.put("bhDequeued", c.bhDequeued());
        values.put("timersFired", c.timersFired());
        values.put("notifierRuns", c.notifierRuns());
        values.put("channelRuns", c.channelRuns());
        values.put("wakeUpsSent", c.wakeUpsSent());
        values.put("wakeUpsElided", c.wakeUpsElided());
        values.put("blockingWaits", c.blockingWaits());
        values.put("pollingHits", c.pollingHits());
        values.put("blockingWorkSubmitted", c.blockingWorkSubmitted());
        values.put("blockingWorkCompleted", c.blockingWorkCompleted());
        return values;
    }

    /**
     * Seconds from {@code before} to {@code after}, or a negative number if the two cannot be
     * compared: {@code after} is not later, or a counter went back (the context was created
     * anew under the same name, e.g. by a scheduler change).
     */
    static double secondsBetween(ContextSnapshot before, ContextSnapshot after) {
        long nanos = after.takenAtNanos() - before.takenAtNanos();
        if (nanos <= 0) {
            return -1;
        }
        Map<String, Long> old = byName(before.counters());
        for (Map.Entry<String, Long> now : byName(after.counters()).entrySet()) {
            if (now.getValue() < old.get(now.getKey())) {
                return -1;
            }
        }
        return nanos / 1e9;
    }

    /**
     * Each counter's increase per second from {@code before} to {@code after}.
     *
     * @param seconds from {@link #secondsBetween}, positive
     */
    static Map<String, Double> perSecond(ContextSnapshot before, ContextSnapshot after, double seconds) {
        Map<String, Long> old = byName(before.counters());
        Map<String, Double> rates = new LinkedHashMap<>();
        byName(after.counters()).forEach((name, value) -> rates.put(name, (value - old.get(name)) / seconds));
        return rates;
    }
}
