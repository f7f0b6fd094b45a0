package org.hvkit.monitor.shell;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandSession;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.monitor.BhFlag;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.hvkit.aio.monitor.TimerSnapshot;

/** Test doubles: contexts that answer only name, scheduler and snapshot, and a session. */
final class Fakes {

    private Fakes() {
    }

    static ContextCounters counters(long polls, long bhRuns) {
        return new ContextCounters(polls, 0, bhRuns, bhRuns, 0, 0, 0, 3, 4, 0, 0, 0, 0);
    }

    static ContextSnapshot snapshot(String name, long takenAtNanos, ContextCounters counters) {
        return snapshot(name, takenAtNanos, counters, List.of(), List.of());
    }

    static ContextSnapshot snapshot(String name, long takenAtNanos, ContextCounters counters,
            List<PendingBottomHalf> pending, List<TimerSnapshot> timers) {
        return new ContextSnapshot(name, "sliced", "IO " + name, takenAtNanos, pending, -1, 0, 2, timers,
                32768, 4096, counters);
    }

    static PendingBottomHalf pending(String name, BhQueue queue, int slice, BhFlag... flags) {
        return new PendingBottomHalf(name, java.util.Set.of(flags), queue, slice, "org.hvkit.block.virtio");
    }

    /** A context whose every snapshot comes from {@code snapshots}, which may throw. */
    static AioContext context(String name, Supplier<ContextSnapshot> snapshots) {
        return (AioContext) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {AioContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "schedulerName" -> "sliced";
                    case "snapshot" -> snapshots.get();
                    case "toString" -> "fake " + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A context that answers with the snapshots given, the last one again and again. */
    static AioContext context(String name, ContextSnapshot... snapshots) {
        List<ContextSnapshot> left = new ArrayList<>(List.of(snapshots));
        return context(name, () -> left.size() > 1 ? left.remove(0) : left.get(0));
    }

    static ContextRegistry registry(AioContext... contexts) {
        ContextRegistry registry = new ContextRegistry();
        for (AioContext context : contexts) {
            registry.addContext(context);
        }
        return registry;
    }

    /** A session with variables and nothing else: no terminal, as in a script. */
    static CommandSession session() {
        Map<String, Object> variables = new HashMap<>();
        return (CommandSession) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> variables.get((String) args[0]);
                    case "put" -> variables.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
