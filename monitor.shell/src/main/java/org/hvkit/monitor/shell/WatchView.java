package org.hvkit.monitor.shell;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * One refresh of {@code aio:watch}: a title line, the context's {@code aio:contexts} row,
 * and the main counters' rates per second since the previous refresh.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class WatchView {

    /** The counters whose rates a refresh shows, with their column headers. */
    private static final Map<String, String> RATES = rates();

    private WatchView() {
    }

    private static Map<String, String> rates() {
        Map<String, String> rates = new java.util.LinkedHashMap<>();
        rates.put("polls", "POLLS/S");
        rates.put("bhRuns", "BH-RUNS/S");
        rates.put("timersFired", "TIMERS/S");
        rates.put("notifierRuns", "NOTIFIERS/S");
        rates.put("channelRuns", "CHANNELS/S");
        rates.put("wakeUpsSent", "WAKE-SENT/S");
        rates.put("wakeUpsElided", "WAKE-ELIDED/S");
        return rates;
    }

    /**
     * Renders one refresh.
     *
     * @param row the context's row now (possibly busy)
     * @param previous the last snapshot that answered before this one, or null
     * @param now this refresh's snapshot, or null if the context was busy
     * @param refresh this refresh's number, from 1
     * @param count the number of refreshes, 0 for until a key is pressed
     * @param keyboard true if a key stops the view
     */
    static String render(ContextRow row, ContextSnapshot previous, ContextSnapshot now, int refresh, int count,
            Duration interval, boolean keyboard) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("aio:watch %s: every %s, refresh %d%s%s%n", row.name(), Nanos.format(interval.toNanos()),
                refresh, count == 0 ? "" : " of " + count, keyboard ? ", any key stops" : ""));
        out.append(ContextRow.table(List.of(row)));
        Table rates = new Table();
        RATES.values().forEach(rates::right);
        double seconds = previous == null || now == null ? -1 : Counters.secondsBetween(previous, now);
        if (seconds > 0) {
            Map<String, Double> perSecond = Counters.perSecond(previous, now, seconds);
            rates.row(RATES.keySet().stream()
                    .map(name -> String.format(Locale.ROOT, "%.1f", perSecond.get(name))).toArray());
        } else {
            rates.row(new Object[RATES.size()]);
        }
        out.append(rates.render());
        return out.toString();
    }
}
