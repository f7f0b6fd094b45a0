package org.hvkit.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hvkit.aio.AioContext;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * What happened during one swap, and when: the bundle's life-cycle events and the contexts'
 * registrations, in milliseconds from the swap's start. It tells where a slow swap spent its
 * time (the old build stopping, the new one resolving, its contexts coming up).
 *
 * <p>Thread-safety: {@link #start} and {@link #toString} from the test's thread; the
 * listeners record from whichever thread fires the event, under this object's lock.
 */
final class SwapTimeline implements AutoCloseable {

    private final BundleContext context;
    private final long bundleId;
    /** What happened, in order; formatted only by {@link #toString}. */
    private final List<Event> events = new ArrayList<>();
    /** When each context's service went away and came back in this swap, in nanoTime. */
    private final Map<Object, Long> unregistered = new HashMap<>();
    private final Map<Object, Long> registered = new HashMap<>();
    private final SynchronousBundleListener bundles = this::bundleChanged;
    private final AllServiceListener services = this::serviceChanged;
    private long start;

    /** Listens to bundle {@code bundleId}'s events and to every context's registration. */
    SwapTimeline(BundleContext context, long bundleId) throws InvalidSyntaxException {
        this.context = context;
        this.bundleId = bundleId;
        context.addBundleListener(bundles);
        context.addServiceListener(services, "(objectClass=" + AioContext.class.getName() + ")");
    }

    /** Forgets what was recorded and starts the clock. */
    synchronized void start() {
        events.clear();
        unregistered.clear();
        registered.clear();
        start = System.nanoTime();
    }

    private void bundleChanged(BundleEvent event) {
        if (event.getBundle().getBundleId() == bundleId) {
            record("bundle " + bundleEventName(event.getType()));
        }
    }

    private void serviceChanged(ServiceEvent event) {
        Object name = event.getServiceReference().getProperty(AioContext.CONTEXT_NAME);
        switch (event.getType()) {
            // The thread tells the path: the update's own (synchronous activation), or DS's
            // or Configuration Admin's (asynchronous).
            case ServiceEvent.REGISTERED -> {
                mark(registered, name);
                record(name + " registered in " + Thread.currentThread().getName());
            }
            case ServiceEvent.UNREGISTERING -> {
                mark(unregistered, name);
                record(name + " unregistering");
            }
            default -> {
                // A modified context service is not part of a swap's timeline.
            }
        }
    }

    private synchronized void mark(Map<Object, Long> when, Object name) {
        when.putIfAbsent(name, System.nanoTime());
    }

    /**
     * How long context {@code name} had no service in this swap: from its old service going
     * away to its new one appearing. Its queues can take no request in between, so this bounds
     * the stall the swap caused them from below.
     *
     * @throws AssertionError if this swap did not replace {@code name}'s service
     */
    synchronized long gapNanos(String name) {
        Long gone = unregistered.get(name);
        Long back = registered.get(name);
        if (gone == null || back == null) {
            throw new AssertionError("context " + name + " was not replaced in this swap: " + this);
        }
        return back - gone;
    }

    private synchronized void record(String what) {
        // The listeners run on the swap's own path (the update's thread, DS's, CM's): they
        // only note the time, so that recording does not lengthen what it measures.
        events.add(new Event(System.nanoTime(), what));
    }

    @Override
    public synchronized String toString() {
        List<String> lines = new ArrayList<>();
        for (Event event : events) {
            lines.add(String.format("%.1f ms %s", (event.nanoTime() - start) / 1e6, event.what()));
        }
        return String.join(", ", lines);
    }

    private record Event(long nanoTime, String what) {
    }

    @Override
    public void close() {
        context.removeBundleListener(bundles);
        context.removeServiceListener(services);
    }

    private static String bundleEventName(int type) {
        return switch (type) {
            case BundleEvent.STOPPING -> "stopping";
            case BundleEvent.STOPPED -> "stopped";
            case BundleEvent.UNRESOLVED -> "unresolved";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.RESOLVED -> "resolved";
            case BundleEvent.STARTING -> "starting";
            case BundleEvent.STARTED -> "started";
            default -> "event " + type;
        };
    }
}
