package org.hvkit.monitor.shell;

import java.util.Locale;
import java.util.Map;

/**
 * What {@code aio:stats} shows, and its {@code --json} shape.
 *
 * @param context the context's name
 * @param seconds the time the rates are over, since the session's previous {@code aio:stats}
 *     of this context; null when there are no rates yet
 * @param counters every counter's total since the context was created
 * @param perSecond every counter's increase per second over {@code seconds}; null when there
 *     are no rates yet (the first call in a session, or the context was created anew)
 * @param note for people: what the rates cover, or why there are none
 */
record StatsReport(String context, Double seconds, Map<String, Long> counters, Map<String, Double> perSecond,
        String note) {

    /** The counters as an aligned table, then the note on a line of its own. */
    String table() {
        Table table = new Table().left("COUNTER").right("TOTAL").right("PER-SEC");
        counters.forEach((name, total) -> table.row(name, total,
                perSecond == null ? null : String.format(Locale.ROOT, "%.1f", perSecond.get(name))));
        return table.render() + note;
    }
}
