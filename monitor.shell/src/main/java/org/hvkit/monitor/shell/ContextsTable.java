package org.hvkit.monitor.shell;

import java.util.ArrayList;
import java.util.Formatter;
import java.util.List;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * Formats contexts as an aligned table, one row per context; a context that did not
 * answer in time is a row that says so.
 *
 * <p>Thread-safety: not shared; one instance per command call.
 */
final class ContextsTable {

    private static final String[] HEADER = {"NAME", "THREAD", "SCHED", "POLLS", "BH-RUNS", "PENDING",
        "SLICES", "WAKE-SENT", "WAKE-ELIDED", "TIMERS", "POLL-NS"};

    private final List<String[]> rows = new ArrayList<>();

    void add(ContextSnapshot s) {
        ContextCounters c = s.counters();
        rows.add(new String[] {s.name(), s.threadName(), s.scheduler(), Long.toString(c.polls()),
            Long.toString(c.bhRuns()), Integer.toString(s.pendingBottomHalves().size()),
            s.sliceDepth() + "/" + s.maxSliceDepth(), Long.toString(c.wakeUpsSent()),
            Long.toString(c.wakeUpsElided()), Integer.toString(s.timers().size()),
            s.pollMaxNanos() == 0 ? "off" : s.pollWindowNanos() + "/" + s.pollMaxNanos()});
    }

    void addBusy(String name, String scheduler) {
        rows.add(new String[] {name, "(busy)", scheduler, "-", "-", "-", "-", "-", "-", "-", "-"});
    }

    String render() {
        int[] widths = new int[HEADER.length];
        measure(HEADER, widths);
        rows.forEach(row -> measure(row, widths));
        StringBuilder out = new StringBuilder();
        try (Formatter f = new Formatter(out)) {
            line(f, HEADER, widths);
            rows.forEach(row -> line(f, row, widths));
        }
        return out.toString();
    }

    private static void measure(String[] row, int[] widths) {
        for (int i = 0; i < row.length; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
        }
    }

    private static void line(Formatter f, String[] row, int[] widths) {
        for (int i = 0; i < row.length; i++) {
            // Text columns align left, numbers right: the first three are text.
            String format = i < 3 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
            f.format(format, row[i]);
            f.format(i == row.length - 1 ? "%n" : "  ");
        }
    }
}
