package org.hvkit.aio.impl;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One IOThread per factory configuration of PID {@value IoThreadConfig#PID}. A change of
 * configuration re-creates the thread and its context (there is no modified method), which
 * is how the scheduler is swapped at run time.
 *
 * <p>Thread-safety: DS calls activate and deactivate, serialised.
 */
@Component(configurationPid = IoThreadConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = IoThreadConfig.class, factory = true)
public final class IoThreadComponent {

    private final ContextService service;

    @Activate
    public IoThreadComponent(BundleContext bundleContext, IoThreadConfig config) {
        String name = config.name() == null ? "" : config.name().trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("IOThread configuration needs a non-empty 'name'");
        }
        if (org.hvkit.aio.AioContext.MAIN.equals(name)) {
            throw new IllegalArgumentException("IOThread name 'main' is reserved for the main context");
        }
        // No scheduler in the configuration means the bundle's default, so that a build with
        // another default (see Schedulers.DEFAULT_HEADER) changes these IOThreads too.
        String scheduler = config.scheduler() == null
                ? Schedulers.defaultOf(bundleContext.getBundle()) : config.scheduler().trim();
        if (!Schedulers.NAMES.contains(scheduler)) {
            throw new IllegalArgumentException("IOThread '" + name + "': unknown scheduler '"
                    + scheduler + "'; choose sliced or linear");
        }
        if (config.aio_max_batch() < 0) {
            throw new IllegalArgumentException("IOThread '" + name + "': aio.max.batch must be 0 or more");
        }
        AdaptivePolling polling;
        try {
            polling = new AdaptivePolling(config.poll_max_ns(), config.poll_grow(), config.poll_shrink());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("IOThread '" + name + "': " + e.getMessage(), e);
        }
        service = ContextService.start(bundleContext, name, scheduler, polling, config.aio_max_batch());
    }

    @Deactivate
    void deactivate() {
        service.stop();
    }
}
