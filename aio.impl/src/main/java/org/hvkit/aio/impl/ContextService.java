package org.hvkit.aio.impl;

import java.time.Duration;
import java.util.Hashtable;
import org.hvkit.aio.AioContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * An IOThread published as an {@link AioContext} service, its replacement by a successor,
 * and its orderly end: the service goes away first (consumers drain and delete their BHs
 * while the loop still runs), then the thread stops and closes the context.
 *
 * <p>DS cannot register a service object that the component creates in its activation,
 * with properties that differ from its configuration; so the registration is done here,
 * by hand, and undone in {@link #stop()}.
 *
 * <p>Thread-safety: {@link #start}, {@link #replaceWith} and {@link #stop} from the
 * component's activate, modified and deactivate, which DS serialises.
 */
final class ContextService {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(ContextService.class.getName());

    private final IoThreadSettings settings;
    private final IoThread ioThread;
    private final ServiceRegistration<AioContext> registration;
    /** Set once the thread was told to end, so that a second stop does nothing. */
    private boolean stopped;

    private ContextService(IoThreadSettings settings, IoThread ioThread, ServiceRegistration<AioContext> registration) {
        this.settings = settings;
        this.ioThread = ioThread;
        this.registration = registration;
    }

    /**
     * Starts an IOThread and registers its context; nothing is left running if that fails.
     *
     * @throws IllegalArgumentException if a context of that name exists
     * @throws IllegalStateException if the bundle is stopping
     */
    static ContextService start(BundleContext bundleContext, IoThreadSettings settings) {
        ContextNames.claim(settings.name());
        IoThread ioThread = null;
        try {
            ioThread = startThread(settings);
            return new ContextService(settings, ioThread, register(bundleContext, ioThread, settings));
        } catch (RuntimeException e) {
            // No half-started IOThread: a failed registration (a stopping bundle, say) stops it.
            if (ioThread != null) {
                endThread(ioThread);
            }
            ContextNames.release(settings.name());
            throw e;
        }
    }

    IoThreadSettings settings() {
        return settings;
    }

    /**
     * Replaces this IOThread by one with {@code next}'s settings, in DESIGN §6's order: the
     * successor's thread is started (not yet visible), this service goes away and its
     * consumers drain here, the successor's service appears, then this thread ends. This
     * object is spent afterwards.
     *
     * @return the successor
     * @throws IllegalArgumentException if {@code next} renames the IOThread to a name in use (this
     *     one keeps running)
     * @throws IllegalStateException if the bundle is stopping (both threads are ended)
     */
    ContextService replaceWith(BundleContext bundleContext, IoThreadSettings next) {
        boolean renamed = !next.name().equals(settings.name());
        if (renamed) {
            ContextNames.claim(next.name());
        }
        IoThread successor;
        try {
            successor = startThread(next);
        } catch (RuntimeException e) {
            if (renamed) {
                ContextNames.release(next.name());
            }
            throw e;
        }
        unregister();
        ServiceRegistration<AioContext> nextRegistration;
        try {
            nextRegistration = register(bundleContext, successor, next);
        } catch (RuntimeException e) {
            endThread(successor);
            if (renamed) {
                ContextNames.release(next.name());
            }
            stop();
            throw e;
        }
        stopped = true;
        endThread(ioThread);
        if (renamed) {
            ContextNames.release(settings.name());
        }
        return new ContextService(next, successor, nextRegistration);
    }

    /** Unregisters the service, then ends the thread, which closes the context. Idempotent. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        unregister();
        endThread(ioThread);
        ContextNames.release(settings.name());
    }

    private void unregister() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework unregisters a stopping bundle's services itself.
        }
    }

    private static IoThread startThread(IoThreadSettings settings) {
        IoThread ioThread = new IoThread(settings.name(), settings.scheduler(), settings.polling());
        ioThread.start();
        return ioThread;
    }

    private static ServiceRegistration<AioContext> register(BundleContext bundleContext, IoThread ioThread,
            IoThreadSettings settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(AioContext.CONTEXT_NAME, settings.name());
        properties.put(AioContext.SCHEDULER, settings.scheduler());
        properties.put(IoThreadSettings.AIO_MAX_BATCH, settings.aioMaxBatch());
        properties.put(IoThreadSettings.POLL_MAX_NS, settings.pollMaxNs());
        return bundleContext.registerService(AioContext.class, new PerBundle(ioThread.context()), properties);
    }

    private static void endThread(IoThread ioThread) {
        if (!ioThread.stop(STOP_TIMEOUT)) {
            LOG.log(System.Logger.Level.WARNING, "IOThread {0} did not stop within {1} s",
                    ioThread.context().name(), STOP_TIMEOUT.toSeconds());
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
}
