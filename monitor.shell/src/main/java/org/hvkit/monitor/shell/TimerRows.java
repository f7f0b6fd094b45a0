package org.hvkit.monitor.shell;

import java.util.List;
import org.hvkit.aio.monitor.TimerSnapshot;

/**
 * The aligned table of {@code aio:timers}: one armed timer per line, earliest first.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class TimerRows {

    private TimerRows() {
    }

    static String table(List<TimerSnapshot> timers) {
        Table table = new Table().left("NAME").left("CLOCK").right("EXPIRES-IN").right("EXPIRE-AT-NS");
        for (TimerSnapshot t : timers) {
            String expiresIn = t.remainingNanos() < 0
                    ? "overdue " + Nanos.format(-t.remainingNanos())
                    : Nanos.format(t.remainingNanos());
            table.row(t.name(), t.clock(), expiresIn, t.expireAtNanos());
        }
        return table.render();
    }
}
