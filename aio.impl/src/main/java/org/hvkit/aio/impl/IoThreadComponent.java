package org.hvkit.aio.impl;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One IOThread per factory configuration of PID {@value IoThreadConfig#PID}. A change of
 * configuration replaces the thread and its context by a successor (DESIGN §6): the
 * successor's thread is started first, then the old service goes away (its consumers drain
 * there), the successor's service appears, and only then does the old thread end. Consumers
 * therefore wait only for their own drain, not for a thread to end and another to start.
 * This is how the scheduler is swapped at run time.
 *
 * <p>A changed configuration that is invalid is refused with one clear message and the
 * running IOThread keeps its settings, as QEMU refuses a bad property on a running object.
 *
 * <p>Thread-safety: DS calls activate, modified and deactivate, serialised.
 */
@Component(configurationPid = IoThreadConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = IoThreadConfig.class, factory = true)
public final class IoThreadComponent {

    private final BundleContext bundleContext;
    /** Written by DS's serialised calls only. */
    private ContextService service;

    @Activate
    public IoThreadComponent(BundleContext bundleContext, Map<String, Object> properties) {
        this.bundleContext = bundleContext;
        this.service = ContextService.start(bundleContext, IoThreadSettings.from(properties, bundleContext.getBundle()));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        IoThreadSettings settings = IoThreadSettings.from(properties, bundleContext.getBundle());
        if (!settings.equals(service.settings())) {
            service = service.replaceWith(bundleContext, settings);
        }
    }

    @Deactivate
    void deactivate() {
        service.stop();
    }
}
