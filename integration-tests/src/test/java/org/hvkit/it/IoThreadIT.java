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
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
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
}
