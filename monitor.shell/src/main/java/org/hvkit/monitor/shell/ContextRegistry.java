package org.hvkit.monitor.shell;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.hvkit.aio.AioContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The AioContexts there are now, by name, for every {@code aio:} command.
 *
 * <p>Thread-safety: any thread; DS updates the list concurrently, hence copy-on-write.
 */
@Component(service = ContextRegistry.class)
public final class ContextRegistry {

    private final List<AioContext> contexts = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContext(AioContext context) {
        contexts.add(context);
    }

    void removeContext(AioContext context) {
        contexts.remove(context);
    }

    /** Every context, sorted by name. */
    List<AioContext> all() {
        return contexts.stream().sorted(Comparator.comparing(AioContext::name)).collect(Collectors.toList());
    }

    /** Every context's name, sorted. */
    List<String> names() {
        return all().stream().map(AioContext::name).collect(Collectors.toList());
    }

    /**
     * The context with this name.
     *
     * @throws IllegalArgumentException naming the contexts there are if there is none
     */
    AioContext named(String name) {
        for (AioContext context : contexts) {
            if (context.name().equals(name)) {
                return context;
            }
        }
        throw new IllegalArgumentException("no context '" + name + "'; contexts: " + String.join(", ", names()));
    }

    /** The sentence for a command called without a context name: which names there are. */
    String missingName() {
        return "give a context name; contexts: " + String.join(", ", names());
    }
}
