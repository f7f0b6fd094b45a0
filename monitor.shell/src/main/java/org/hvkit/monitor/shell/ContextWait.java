package org.hvkit.monitor.shell;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.hvkit.aio.AioContext;

/**
 * Bounded waits for a context to appear, come back or go away after its IOThread's
 * configuration changed, so that the command's next {@code aio:contexts} shows the change.
 *
 * <p>It watches the {@link ContextRegistry} that the commands read, rather than service
 * events: DS binds a context into the registry in the thread that registers it, and only
 * once the registry has it does a command see it. ConfigurationAdmin delivers the change to
 * the IOThread component asynchronously, so there is nothing to be told about; a short poll
 * of an in-memory list costs nothing worth an event protocol.
 *
 * <p>Thread-safety: any thread; a command session's thread waits here.
 */
final class ContextWait {

    /** How long the commands wait for a context to start or stop. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final long POLL_MS = 10;

    private ContextWait() {
    }

    /**
     * Waits at most {@link #TIMEOUT} for a context named {@code name} that satisfies
     * {@code ready} (e.g. is not the context it replaces).
     *
     * @return the context, or empty if none was there in time
     * @throws InterruptedException if the session is interrupted (Ctrl-C)
     */
    static Optional<AioContext> until(ContextRegistry registry, String name, Predicate<AioContext> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<AioContext> found = find(registry, name).filter(ready);
            if (found.isPresent() || System.nanoTime() - deadline >= 0) {
                return found;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * Waits at most {@link #TIMEOUT} until there is no context named {@code name}.
     *
     * @return true if it is gone
     * @throws InterruptedException if the session is interrupted (Ctrl-C)
     */
    static boolean gone(ContextRegistry registry, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (find(registry, name).isPresent()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
        return true;
    }

    /** The context named {@code name} now, if there is one. */
    static Optional<AioContext> find(ContextRegistry registry, String name) {
        return registry.all().stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
