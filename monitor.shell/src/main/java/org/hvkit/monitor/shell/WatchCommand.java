package org.hvkit.monitor.shell;

import java.io.PrintStream;
import java.time.Duration;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:watch <ctx> [interval] [count]}: a refreshing, top-like view of one context.
 * Each refresh is one snapshot (a oneshot BH and a bounded wait), so the view never holds
 * the loop up; a context that does not answer is shown busy and the view goes on.
 *
 * <p>In the interactive shell any key stops the view, as does Ctrl-C, and the screen is
 * cleared between refreshes. A session without a terminal (a script, {@code gosh
 * --nointeractive}) has no keyboard: there the view needs a count, and refreshes follow
 * each other separated by a blank line.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread.
 */
@Component(service = WatchCommand.class)
@GogoCommand(scope = "aio", function = "watch")
public final class WatchCommand {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    static final int MAX_COUNT = 1_000_000;

    private final ContextRegistry registry;

    /**
     * Creates the command.
     *
     * @param registry the contexts there are
     */
    @Activate
    public WatchCommand(@Reference ContextRegistry registry) {
        this.registry = registry;
    }

    /**
     * Watches a context every {@code interval}, {@code count} times.
     *
     * @return null when the view ends, or one error line
     */
    @Descriptor("refresh a view of a context: its aio:contexts row and the rates per second of polls, BH runs,"
            + " timers, notifiers, channels and wake-ups")
    public String watch(CommandSession session,
            @Descriptor("the context's name, e.g. iothread0") String context,
            @Descriptor("time between refreshes: 500ms, 2s, 1m or seconds; default 1s") String interval,
            @Descriptor("number of refreshes; without it, until a key is pressed") String count) {
        return start(session, context, interval, count);
    }

    /**
     * Watches a context every {@code interval} until a key is pressed.
     *
     * @return null when the view ends, or one error line
     */
    @Descriptor("refresh a view of a context until a key is pressed")
    public String watch(CommandSession session,
            @Descriptor("the context's name, e.g. iothread0") String context,
            @Descriptor("time between refreshes: 500ms, 2s, 1m or seconds; default 1s") String interval) {
        return start(session, context, interval, null);
    }

    /**
     * Watches a context every second until a key is pressed.
     *
     * @return null when the view ends, or one error line
     */
    @Descriptor("refresh a view of a context every second until a key is pressed")
    public String watch(CommandSession session,
            @Descriptor("the context's name, e.g. iothread0") String context) {
        return start(session, context, null, null);
    }

    /**
     * Without a context: says which are there.
     *
     * @return one error line
     */
    @Descriptor("refresh a view of a context (give its name)")
    public String watch(CommandSession session) {
        return "aio:watch: " + registry.missingName();
    }

    private String start(CommandSession session, String name, String intervalText, String countText) {
        Duration interval;
        int count;
        try {
            registry.named(name);
            interval = intervalText == null ? DEFAULT_INTERVAL : interval(intervalText);
            count = countText == null ? 0 : Args.intIn("count", countText, 1, MAX_COUNT);
        } catch (IllegalArgumentException e) {
            return "aio:watch: " + e.getMessage();
        }
        try (Screen screen = Screen.of(session)) {
            if (count == 0 && !screen.hasKeyboard()) {
                return "aio:watch: give a count: this session has no keyboard to stop the view";
            }
            return run(registry, name, interval, count, screen, System.out);
        } catch (InterruptedException e) {
            // Ctrl-C: the view ends like on a key press; the shell has seen the interrupt.
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Duration interval(String text) {
        Duration interval = Args.duration("interval", text);
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval must be at least 10ms, not '" + text + "'");
        }
        return interval;
    }

    /**
     * Refreshes until {@code count} refreshes (0: no limit) or a key. The context is looked up
     * by name at each refresh: a scheduler change creates it anew under the same name.
     *
     * @return null, or one error line if the context went away
     */
    static String run(ContextRegistry registry, String name, Duration interval, int count, Screen screen,
            PrintStream out) throws InterruptedException {
        ContextSnapshot previous = null;
        for (int refresh = 1; ; refresh++) {
            AioContext context;
            try {
                context = registry.named(name);
            } catch (IllegalArgumentException e) {
                return "aio:watch: " + e.getMessage();
            }
            ContextSnapshot now = snapshot(context);
            ContextRow row = now == null ? ContextRow.busy(context.name(), context.schedulerName()) : ContextRow.of(now);
            screen.clear(out);
            out.print(WatchView.render(row, previous, now, refresh, count, interval, screen.hasKeyboard()));
            out.flush();
            if (now != null) {
                previous = now;
            }
            if (refresh == count || screen.awaitKey(interval)) {
                return null;
            }
        }
    }

    /** The context's snapshot, or null if it did not answer in time or is closing. */
    private static ContextSnapshot snapshot(AioContext context) {
        try {
            return context.snapshot();
        } catch (ContextBusyException | IllegalStateException e) {
            return null;
        }
    }
}
