package org.hvkit.aio.impl;

import org.hvkit.aio.AioContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The context named {@value AioContext#MAIN}, which exists whenever this bundle is active,
 * like QEMU's main loop context. It does not busy-poll. Its scheduler is the bundle's
 * default ({@link Schedulers#defaultOf}).
 *
 * <p>Thread-safety: DS calls activate and deactivate, serialised.
 */
@Component(immediate = true, service = {})
public final class MainContextComponent {

    private final ContextService service;

    @Activate
    public MainContextComponent(BundleContext bundleContext) {
        // The main loop does not poll adaptively: it is mostly idle, and waits for work.
        service = ContextService.start(bundleContext, new IoThreadSettings(AioContext.MAIN,
                Schedulers.defaultOf(bundleContext.getBundle()), 0, 0, 0, 0));
    }

    @Deactivate
    void deactivate() {
        service.stop();
    }
}
