package org.hvkit.aio.impl;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import java.util.Set;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Makes contexts driven by the caller's own thread, with adaptive polling off (the
 * caller decides how to wait). A DS service in OSGi and a {@link java.util.ServiceLoader}
 * provider elsewhere. Its default scheduler is the bundle's ({@link Schedulers#defaultOf})
 * in OSGi, and sliced through the ServiceLoader, where there is no bundle to ask.
 *
 * <p>Thread-safety: any thread.
 */
@Component(service = AioContextFactory.class)
@ServiceProvider(value = AioContextFactory.class, resolution = Resolution.OPTIONAL)
public final class AioContextFactoryImpl implements AioContextFactory {

    private final String defaultScheduler;

    /** For {@link java.util.ServiceLoader} and plain Java. */
    public AioContextFactoryImpl() {
        this.defaultScheduler = SLICED;
    }

    /** For DS. */
    @Activate
    public AioContextFactoryImpl(BundleContext bundleContext) {
        this.defaultScheduler = Schedulers.defaultOf(bundleContext.getBundle());
    }

    @Override
    public AioContext create(String name) {
        return create(name, defaultScheduler);
    }

    @Override
    public AioContext create(String name, String scheduler) {
        return new AioContextImpl(name, scheduler, new AdaptivePolling(0, 0, 0), true);
    }

    @Override
    public Set<String> schedulers() {
        return Schedulers.NAMES;
    }
}
