package org.hvkit.monitor.shell;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.ContextBusyException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:contexts}: every event loop with its thread, scheduler and counters.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread. Each snapshot is
 * taken inside the context's own thread with a bounded wait; one that does not answer is
 * a row saying so, and the others are still listed.
 */
@Component(service = ContextsCommand.class)
@GogoCommand(scope = "aio", function = "contexts")
public final class ContextsCommand {

    private final ContextRegistry registry;

    /**
     * Creates the command.
     *
     * @param registry the contexts there are
     */
    @Activate
    public ContextsCommand(@Reference ContextRegistry registry) {
        this.registry = registry;
    }

    /**
     * Lists the contexts.
     *
     * @param json true for JSON
     * @return the table or the JSON array
     */
    @Descriptor("list every AioContext: thread, scheduler, polls, BHs run, pending BHs, slice depth"
            + " now/max (now: BH polls in progress, 0 for an idle loop, k while a callback sits in k nested"
            + " polls; max: the most at once, 1 = never nested), wake-ups sent and elided, armed timers,"
            + " adaptive-poll window now/max in ns or off")
    public String contexts(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        List<ContextRow> rows = new ArrayList<>();
        for (AioContext context : registry.all()) {
            try {
                rows.add(ContextRow.of(context.snapshot()));
            } catch (ContextBusyException | IllegalStateException e) {
                // Busy, or closing under us: either way it cannot answer now.
                rows.add(ContextRow.busy(context.name(), context.schedulerName()));
            }
        }
        return json ? Json.render(rows) : ContextRow.table(rows);
    }
}
