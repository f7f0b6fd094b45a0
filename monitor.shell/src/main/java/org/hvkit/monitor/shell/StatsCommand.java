package org.hvkit.monitor.shell;

import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:stats <ctx>}: a context's counters, and their rates per second since the
 * previous {@code aio:stats} of the same context in the same shell session. The previous
 * snapshot is kept in the session (variable {@code .hvkit.aio.stats.<ctx>}); the first call
 * has no rates, because a context does not say when it started.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; a session runs one
 * command at a time. The snapshot is taken inside the context's own thread with a bounded wait.
 */
@Component(service = StatsCommand.class)
@GogoCommand(scope = "aio", function = "stats")
public final class StatsCommand {

    /** Prefix of the session variable holding the previous snapshot of each context. */
    static final String PREVIOUS = ".hvkit.aio.stats.";

    private final ContextRegistry registry;

    /**
     * Creates the command.
     *
     * @param registry the contexts there are
     */
    @Activate
    public StatsCommand(@Reference ContextRegistry registry) {
        this.registry = registry;
    }

    /**
     * Shows the counters of a context with their rates.
     *
     * @param session the shell session, which keeps the previous snapshot
     * @param json true for JSON
     * @param context the context's name
     * @return the table, the JSON object, or one error line
     */
    @Descriptor("show a context's counters, with rates per second since the previous aio:stats of that"
            + " context in this session (the first call shows totals only: run it again for rates)")
    public String stats(CommandSession session,
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the context's name, e.g. iothread0") String context) {
        ContextSnapshot now;
        try {
            now = registry.named(context).snapshot();
        } catch (IllegalArgumentException | IllegalStateException | ContextBusyException e) {
            return "aio:stats: " + e.getMessage();
        }
        Object previous = session.put(PREVIOUS + context, now);
        StatsReport report = report(context, previous instanceof ContextSnapshot p ? p : null, now);
        return json ? Json.render(report) : report.table();
    }

    /**
     * Without a context: says which are there.
     *
     * @param json ignored
     * @return one error line
     */
    @Descriptor("show a context's counters and rates (give its name)")
    public String stats(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return "aio:stats: " + registry.missingName();
    }

    /** The report of {@code now}, with rates since {@code previous} if there is one to compare. */
    static StatsReport report(String context, ContextSnapshot previous, ContextSnapshot now) {
        if (previous == null) {
            return new StatsReport(context, null, Counters.byName(now.counters()), null,
                    "rates need a second call: run aio:stats " + context + " again");
        }
        double seconds = Counters.secondsBetween(previous, now);
        if (seconds < 0) {
            return new StatsReport(context, null, Counters.byName(now.counters()), null,
                    "the counters restarted since the last call (the context was created anew);"
                            + " rates need a second call");
        }
        return new StatsReport(context, seconds, Counters.byName(now.counters()),
                Counters.perSecond(previous, now, seconds),
                String.format(Locale.ROOT, "rates over the %.2f s since the last aio:stats %s", seconds, context));
    }
}
