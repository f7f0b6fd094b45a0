package org.hvkit.monitor.shell;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.ContextBusyException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code aio:contexts}: every event loop with its thread, scheduler and counters.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; the context list
 * is updated by DS concurrently, hence copy-on-write. Each snapshot is taken inside the
 * context's own thread with a bounded wait.
 */
@Component(service = ContextsCommand.class)
@GogoCommand(scope = "aio", function = "contexts")
public final class ContextsCommand {

    private final List<AioContext> contexts = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContext(AioContext context) {
        contexts.add(context);
    }

    void removeContext(AioContext context) {
        contexts.remove(context);
    }

    /**
     * Lists the contexts.
     *
     * @return the table
     */
    @Descriptor("list every AioContext: thread, scheduler, polls, BHs run, pending BHs, slice depth"
            + " now/max, wake-ups sent and elided, armed timers, adaptive-poll window/max (ns)")
    public String contexts() {
        ContextsTable table = new ContextsTable();
        contexts.stream().sorted(Comparator.comparing(AioContext::name)).forEach(context -> {
            try {
                table.add(context.snapshot());
            } catch (ContextBusyException | IllegalStateException e) {
                table.addBusy(context.name(), context.schedulerName());
            }
        });
        return table.render();
    }
}
