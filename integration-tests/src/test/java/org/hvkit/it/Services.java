package org.hvkit.it;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Bounded waits for services to come and go. Tracked explicitly: Pax Exam's
 * {@code @Inject @Filter} on an {@code Object} field hangs.
 */
final class Services {

    /** Long enough for SCR and ConfigAdmin's asynchronous delivery, short enough to fail fast. */
    static final long TIMEOUT_MS = 5_000;

    private Services() {
    }

    /** An open tracker of the {@code type} services that match {@code filter} (LDAP, may be null). */
    static <T> ServiceTracker<T, T> track(BundleContext context, Class<T> type, String filter)
            throws InvalidSyntaxException {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        String full = filter == null ? objectClass : "(&" + objectClass + filter + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(full), null);
        tracker.open();
        return tracker;
    }

    /** The tracked service, after waiting at most {@link #TIMEOUT_MS} for it to appear. */
    static <T> T await(ServiceTracker<T, T> tracker, String what) throws InterruptedException {
        T service = tracker.waitForService(TIMEOUT_MS);
        assertNotNull(what + " did not appear within " + TIMEOUT_MS + " ms", service);
        return service;
    }

    /**
     * Runs {@code action} and waits at most {@link #TIMEOUT_MS} for the service of
     * {@code reference} to be unregistered.
     */
    static void awaitUnregistered(BundleContext context, ServiceReference<?> reference,
            String what, ThrowingRunnable action) throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                gone.countDown();
            }
        };
        context.addServiceListener(listener,
                "(" + Constants.SERVICE_ID + "=" + reference.getProperty(Constants.SERVICE_ID) + ")");
        try {
            action.run();
            assertTrue(what + " was still registered after " + TIMEOUT_MS + " ms",
                    gone.await(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
