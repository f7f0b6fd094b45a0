package org.hvkit.monitor.shell;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:bh <ctx>}: every bottom half waiting in a context, with its flags, where it
 * waits and who created it.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; the snapshot is
 * taken inside the context's own thread with a bounded wait.
 */
@Component(service = BhCommand.class)
@GogoCommand(scope = "aio", function = "bh")
public final class BhCommand {

    private final ContextRegistry registry;

    /**
     * Creates the command.
     *
     * @param registry the contexts there are
     */
    @Activate
    public BhCommand(@Reference ContextRegistry registry) {
        this.registry = registry;
    }

    /**
     * Lists the pending bottom halves of a context.
     *
     * @param json true for JSON
     * @param context the context's name
     * @return the table, a line saying there are none, the JSON array, or one error line
     */
    @Descriptor("list the bottom halves pending in a context, in the order the loop visits them: name,"
            + " flags (P pending, S scheduled, D deleted, O oneshot, I idle), where it waits (the incoming"
            + " list, slice k of the polls in progress, or the linear scheduler's list) and the bundle that"
            + " created it")
    public String bh(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the context's name, e.g. iothread0") String context) {
        ContextSnapshot snapshot;
        try {
            snapshot = registry.named(context).snapshot();
        } catch (IllegalArgumentException | IllegalStateException | ContextBusyException e) {
            return "aio:bh: " + e.getMessage();
        }
        List<BhRow> rows = snapshot.pendingBottomHalves().stream().map(BhRow::of).toList();
        if (json) {
            return Json.render(rows);
        }
        return rows.isEmpty() ? "no bottom halves pending in " + context : BhRow.table(rows);
    }

    /**
     * Without a context: says which are there.
     *
     * @param json ignored
     * @return one error line
     */
    @Descriptor("list the bottom halves pending in a context (give its name)")
    public String bh(
            @Descriptor("print JSON for programs instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return "aio:bh: " + registry.missingName();
    }
}
