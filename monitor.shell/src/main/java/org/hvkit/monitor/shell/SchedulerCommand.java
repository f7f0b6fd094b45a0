package org.hvkit.monitor.shell;

import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.AioContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:scheduler <ctx> [sliced|linear]}: shows a context's BH scheduler, or switches an
 * IOThread's by changing its configuration, which re-creates the IOThread and its context
 * (DESIGN §6), and waits for the context to be back.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; it holds no state,
 * and a switch waits in the caller's thread (bounded by {@link ContextWait#TIMEOUT}).
 */
@Component(service = SchedulerCommand.class)
@GogoCommand(scope = "aio", function = "scheduler")
public final class SchedulerCommand {

    private static final String PREFIX = "aio:scheduler: ";

    private final ContextRegistry contexts;
    private final IoThreadConfigs configs;

    @Activate
    public SchedulerCommand(@Reference ContextRegistry contexts, @Reference IoThreadConfigs configs) {
        this.contexts = contexts;
        this.configs = configs;
    }

    /** Without a context there is nothing to show: say which there are. */
    @Descriptor("show or switch a context's bottom-half scheduler; name a context")
    public String scheduler() {
        return PREFIX + "name a context; contexts: " + String.join(", ", contexts.names());
    }

    /**
     * Shows the context's scheduler.
     *
     * @return one line
     */
    @Descriptor("show the context's bottom-half scheduler (sliced or linear)")
    public String scheduler(@Descriptor("the context's name, as aio:contexts lists it") String context) {
        try {
            AioContext found = contexts.named(context);
            return found.name() + ": scheduler " + found.schedulerName();
        } catch (IllegalArgumentException e) {
            return PREFIX + e.getMessage();
        }
    }

    /**
     * Switches an IOThread's context to {@code scheduler}.
     *
     * @return one line saying what happened
     * @throws InterruptedException if the session is interrupted while waiting
     */
    @Descriptor("switch an IOThread's context to another bottom-half scheduler: its configuration changes"
            + " and the IOThread and its context are re-created; the change lasts until hvkit restarts:"
            + " it is not written to etc/")
    public String scheduler(@Descriptor("the IOThread's context name, as aio:contexts lists it") String context,
            @Descriptor("sliced (O(1), the default) or linear (the pre-2020 baseline)") String scheduler)
            throws InterruptedException {
        try {
            return change(context, scheduler);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return PREFIX + e.getMessage();
        }
    }

    private String change(String name, String scheduler) throws InterruptedException {
        AioContext current = contexts.named(name);
        String wanted = IoThreadSettings.scheduler(scheduler);
        String was = current.schedulerName();
        Configuration configuration = configs.named(name)
                .orElseThrow(() -> new IllegalArgumentException(notConfigurable(name, was)));
        if (was.equals(wanted)) {
            return name + ": scheduler is already " + wanted;
        }
        IoThreadConfigs.update(configuration, Map.of(IoThreadSettings.SCHEDULER, wanted));
        // The old context's service goes first, then the new one comes: wait for a new one.
        return ContextWait.until(contexts, name, c -> c != current && wanted.equals(c.schedulerName()))
                .map(c -> name + ": scheduler " + was + " -> " + wanted)
                .orElseGet(() -> PREFIX + name + ": configuration updated, but the context was not back with the "
                        + wanted + " scheduler within " + ContextWait.TIMEOUT.toSeconds() + " s; see the log");
    }

    private static String notConfigurable(String name, String scheduler) {
        if (AioContext.MAIN.equals(name)) {
            return "the main context's scheduler (" + scheduler + ") is fixed; only an IOThread's can be switched";
        }
        return "context '" + name + "' is not made from an IOThread configuration, so its scheduler ("
                + scheduler + ") cannot be switched";
    }
}
