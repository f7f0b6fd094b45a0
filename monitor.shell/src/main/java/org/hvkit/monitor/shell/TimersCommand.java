package org.hvkit.monitor.shell;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.TimerSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:timers <ctx>}: the armed timers of a context, earliest first.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; the snapshot is
 * taken inside the context's own thread with a bounded wait.
 */
@Component(service = TimersCommand.class)
@GogoCommand(scope = "aio", function = "timers")
public final class TimersCommand {

    private final ContextRegistry registry;

    /**
     * Creates the command.
     *
     * @param registry the contexts there are
     */
    @Activate
    public TimersCommand(@Reference ContextRegistry registry) {
        this.registry = registry;
    }

    /**
     * Lists the armed timers of a context.
     *
     * @param json true for JSON
     * @param context the context's name
     * @return the table, a line saying there are none, the JSON array, or one error line
     */
    @Descriptor("list the armed timers of a context, earliest first: name, clock (REALTIME, VIRTUAL, HOST),"
            + " how long until it expires, and the clock time it expires at in ns")
    public String timers(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the context's name, e.g. iothread0") String context) {
        List<TimerSnapshot> timers;
        try {
            timers = registry.named(context).snapshot().timers();
        } catch (IllegalArgumentException | IllegalStateException | ContextBusyException e) {
            return "aio:timers: " + e.getMessage();
        }
        if (json) {
            return Json.render(timers);
        }
        return timers.isEmpty() ? "no timers armed in " + context : TimerRows.table(timers);
    }

    /**
     * Without a context: says which are there.
     *
     * @param json ignored
     * @return one error line
     */
    @Descriptor("list the armed timers of a context (give its name)")
    public String timers(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return "aio:timers: " + registry.missingName();
    }
}
