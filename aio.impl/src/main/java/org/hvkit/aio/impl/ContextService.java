package org.hvkit.aio.impl;

import java.time.Duration;
import java.util.Hashtable;
import org.hvkit.aio.AioContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * An IOThread published as an {@link AioContext} service, and its orderly end: the service
 * goes away first (consumers drain and delete their BHs while the loop still runs), then
 * the thread stops and closes the context.
 *
 * <p>DS cannot register a service object that the component creates in its activation,
 * with properties that differ from its configuration; so the registration is done here,
 * by hand, and undone in {@link #stop()}.
 *
 * <p>Thread-safety: {@link #start} and {@link #stop} from the component's activate and
 * deactivate, which DS serialises.
 */
final class ContextService {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(ContextService.class.getName());

    private final IoThread ioThread;
    private final ServiceRegistration<AioContext> registration;

    private ContextService(IoThread ioThread, ServiceRegistration<AioContext> registration) {
        this.ioThread = ioThread;
        this.registration = registration;
    }

    static ContextService start(BundleContext bundleContext, String name, String scheduler,
            AdaptivePolling polling, long aioMaxBatch) {
        ContextNames.claim(name);
        IoThread ioThread = null;
        try {
            ioThread = new IoThread(name, scheduler, polling);
            ioThread.start();
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(AioContext.CONTEXT_NAME, name);
            properties.put(AioContext.SCHEDULER, scheduler);
            properties.put("aio.max.batch", aioMaxBatch);
            properties.put("poll.max.ns", polling.maxNs());
            return new ContextService(ioThread,
                    bundleContext.registerService(AioContext.class, new PerBundle(ioThread.context()), properties));
        } catch (RuntimeException e) {
            // No half-started IOThread: a failed registration (a stopping bundle, say) stops it.
            if (ioThread != null) {
                ioThread.stop(STOP_TIMEOUT);
            }
            ContextNames.release(name);
            throw e;
        }
    }

    /** Gives each bundle a view whose BHs carry the bundle's symbolic name. */
    private static final class PerBundle implements ServiceFactory<AioContext> {
        private final AioContextImpl context;

        PerBundle(AioContextImpl context) {
            this.context = context;
        }

        @Override
        public AioContext getService(Bundle bundle, ServiceRegistration<AioContext> registration) {
            return new OwnedContext(context, bundle.getSymbolicName());
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<AioContext> registration,
                AioContext service) {
            // The view holds nothing of its own; the BHs it made belong to their creator.
        }
    }

    void stop() {
        String name = ioThread.context().name();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework unregisters a stopping bundle's services itself.
        }
        if (!ioThread.stop(STOP_TIMEOUT)) {
            LOG.log(System.Logger.Level.WARNING, "IOThread {0} did not stop within {1} s", name,
                    STOP_TIMEOUT.toSeconds());
        }
        ContextNames.release(name);
    }
}
