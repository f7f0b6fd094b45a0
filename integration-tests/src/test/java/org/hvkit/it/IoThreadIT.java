package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/** IOThreads are factory configurations; each one is an AioContext service (DESIGN §3). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IoThreadIT {


    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    @Inject
    private ServiceComponentRuntime scr;

    private ServiceTracker<AioContext, AioContext> iothread0;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIothread0() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, "iothread0");
        iothread0 = Services.track(context, AioContext.class, "(aio.context.name=iothread0)");
    }

    @After
    public void closeTracker() {
        iothread0.close();
    }

    @Test
    public void shouldRegisterTheMainContext() throws Exception {
        ServiceTracker<AioContext, AioContext> main =
                Services.track(context, AioContext.class, "(aio.context.name=main)");
        try {
            assertEquals("main", Services.await(main, "the main context").name());
        } finally {
            main.close();
        }
    }

    @Test
    public void shouldRegisterTheConfiguredIoThreadWithTheDefaultScheduler() throws Exception {
        AioContext context = Services.await(iothread0, "iothread0");

        assertEquals("iothread0", context.name());
        assertEquals("sliced", iothread0.getServiceReference().getProperty("aio.scheduler"));
        assertEquals("sliced", context.schedulerName());
    }

    @Test
    public void shouldListTheContextsInTheShell() throws Exception {
        Services.await(iothread0, "iothread0");

        String contexts = new Gogo(commandProcessor).run("aio:contexts");

        assertTrue(contexts, contexts.lines().anyMatch(line -> line.startsWith("main ")));
        assertTrue(contexts, contexts.lines().anyMatch(line -> line.startsWith("iothread0 ")));
    }

    @Test
    public void shouldRunABottomHalfInTheIoThread() throws Exception {
        AioContext iothread = Services.await(iothread0, "iothread0");
        CompletableFuture<Boolean> inContextThread = new CompletableFuture<>();
        CompletableFuture<Thread> ranIn = new CompletableFuture<>();
        BottomHalf bh = iothread.newBottomHalf("it-probe", () -> {
            inContextThread.complete(iothread.inContextThread());
            ranIn.complete(Thread.currentThread());
        });

        bh.schedule();

        try {
            assertTrue("inContextThread() in the callback",
                    inContextThread.get(Services.TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertNotSame(Thread.currentThread(), ranIn.get(Services.TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertFalse("inContextThread() in the test thread", iothread.inContextThread());
        } finally {
            bh.delete();
        }
    }

    @Test
    public void shouldAddAndRemoveAContextWithItsConfiguration() throws Exception {
        var configuration = configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, "it-extra", "?");
        Dictionary<String, Object> properties = Dictionaries.of("name", "it-extra");
        properties.put("scheduler", "linear");
        ServiceTracker<AioContext, AioContext> extra =
                Services.track(context, AioContext.class, "(aio.context.name=it-extra)");
        try {
            configuration.update(properties);

            AioContext added = Services.await(extra, "it-extra");
            ServiceReference<AioContext> reference = extra.getServiceReference();
            assertEquals("it-extra", added.name());
            assertEquals("linear", reference.getProperty("aio.scheduler"));

            Services.awaitUnregistered(context, reference, "it-extra", configuration::delete);
            assertTrue(extra.isEmpty());
        } finally {
            extra.close();
        }
    }

    /**
     * A changed configuration brings a successor context (the old one is closed once the new
     * one is registered); a changed configuration that is invalid leaves the running one as it
     * was, as QEMU refuses a bad property on a running IOThread.
     */
    @Test
    public void shouldReplaceTheContextOnAChangeAndKeepItOnAnInvalidChange() throws Exception {
        var configuration = configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, "it-change", "?");
        ServiceTracker<AioContext, AioContext> tracker =
                Services.track(context, AioContext.class, "(aio.context.name=it-change)");
        try {
            configuration.update(Dictionaries.of("name", "it-change", "scheduler", "sliced"));
            AioContext first = Services.await(tracker, "it-change");
            ServiceReference<AioContext> firstReference = tracker.getServiceReference();

            configuration.update(Dictionaries.of("name", "it-change", "scheduler", "linear"));
            ServiceReference<AioContext> second = awaitOtherThan(tracker, firstReference);
            assertEquals("linear", second.getProperty("aio.scheduler"));
            assertEquals("linear", tracker.getService().schedulerName());
            awaitClosed(first);

            configuration.update(Dictionaries.of("name", "it-change", "scheduler", "fifo"));
            awaitConfigured("it-change", "fifo");
            assertEquals("the running context after an invalid change", second, tracker.getServiceReference());
            assertEquals("linear", tracker.getService().schedulerName());

            Services.awaitUnregistered(context, second, "it-change", configuration::delete);
        } finally {
            tracker.close();
        }
    }

    private static ServiceReference<AioContext> awaitOtherThan(ServiceTracker<AioContext, AioContext> tracker,
            ServiceReference<AioContext> old) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        ServiceReference<AioContext> current = tracker.getServiceReference();
        while ((current == null || current.equals(old)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            current = tracker.getServiceReference();
        }
        assertTrue("no successor within " + Services.TIMEOUT_MS + " ms", current != null && !current.equals(old));
        return current;
    }

    /** Waits until {@code context} refuses new BHs, that is, it is closed. */
    private static void awaitClosed(AioContext context) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            try {
                context.newBottomHalf("it-probe", () -> { }).delete();
            } catch (IllegalStateException closed) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the replaced context is still open after " + Services.TIMEOUT_MS + " ms");
    }

    /** Waits until SCR has handed the IOThread component the configuration with this scheduler. */
    private void awaitConfigured(String name, String scheduler) throws InterruptedException {
        Bundle impl = Bundles.installed(context, "org.hvkit.aio.impl");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            ComponentDescriptionDTO description =
                    scr.getComponentDescriptionDTO(impl, "org.hvkit.aio.impl.IoThreadComponent");
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                if (name.equals(c.properties.get("name")) && scheduler.equals(c.properties.get("scheduler"))) {
                    assertEquals("component state", ComponentConfigurationDTO.ACTIVE, c.state);
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " was not given scheduler " + scheduler + " within " + Services.TIMEOUT_MS
                + " ms");
    }
}
