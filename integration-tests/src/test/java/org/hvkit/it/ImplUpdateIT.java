package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.aio.AioContext;
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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code update} of aio.impl with a second build (DESIGN §6): aio.impl.variant, the same
 * classes with linear as the bundle's default scheduler and a higher version. Every context
 * comes back as a new service on a new thread, with the new build's default, and nothing of
 * the old build is left running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ImplUpdateIT {

    private static final String IMPL = "org.hvkit.aio.impl";
    /** An IOThread whose configuration names no scheduler: it follows the bundle's default. */
    private static final String SWAPPED = "it-swap";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    private ServiceTracker<AioContext, AioContext> swapped;
    private ServiceTracker<AioContext, AioContext> main;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIoThreadWithoutScheduler() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, SWAPPED);
        swapped = Services.track(context, AioContext.class, "(aio.context.name=" + SWAPPED + ")");
        main = Services.track(context, AioContext.class, "(aio.context.name=" + AioContext.MAIN + ")");
    }

    @After
    public void closeTrackers() {
        swapped.close();
        main.close();
    }

    @Test
    public void shouldSwapTheDefaultSchedulerThroughUpdateAndBack() throws Exception {
        Bundle impl = Bundles.installed(context, IMPL);
        Path original = Bundles.jarOf(IMPL, HvkitSystem.bundlesOfLevel(1));
        Path variant = Path.of(Objects.requireNonNull(System.getProperty("hvkit.it.aio.impl.variant"),
                "hvkit.it.aio.impl.variant is not set: run the integration tests through Maven (failsafe sets it)"));
        assertTrue("the variant must sort higher than the build it replaces",
                Bundles.versionOf(variant).compareTo(Bundles.versionOf(original)) > 0);
        assertBuild(impl, Bundles.versionOf(original), "sliced");

        // Gogo's own update command. At the prompt an operator types the bundle's id, which
        // gogo.jline's converter turns into the Bundle; this system leaves gogo.jline out (it
        // would read the test JVM's input), so the Bundle comes from the runtime's $.context.
        // LauncherIT types the operator's very line into bin/hvkit.
        String out = swap(() -> new Gogo(commandProcessor).run(
                "update ($.context bundle " + impl.getBundleId() + ") " + variant.toUri()));
        assertBuild(impl, Bundles.versionOf(variant), "linear");
        assertFalse(out, out.contains("Unable"));

        swap(() -> {
            try (InputStream in = Files.newInputStream(original)) {
                impl.update(in);
            }
            return "";
        });
        assertBuild(impl, Bundles.versionOf(original), "sliced");
    }

    /**
     * Runs {@code update}, then waits until the contexts of the old build are unregistered
     * and both contexts are registered again, and their old threads have ended.
     */
    private String swap(Update update) throws Exception {
        ServiceReference<AioContext> oldSwapped = awaitReference(swapped, SWAPPED);
        ServiceReference<AioContext> oldMain = awaitReference(main, AioContext.MAIN);
        Set<Long> oldIds = contextServiceIds();

        String out = update.run();

        awaitReplacement(swapped, oldSwapped, SWAPPED);
        awaitReplacement(main, oldMain, AioContext.MAIN);
        Set<Long> stillThere = contextServiceIds();
        stillThere.retainAll(oldIds);
        assertTrue("services of the old build still registered: " + stillThere, stillThere.isEmpty());
        awaitOneThread("IO " + SWAPPED);
        awaitOneThread("IO " + AioContext.MAIN);
        return out;
    }

    /** The running build is {@code version}, and both contexts use {@code scheduler} and run. */
    private void assertBuild(Bundle impl, Version version, String scheduler) throws Exception {
        assertEquals(version, impl.getVersion());
        assertEquals(Bundle.ACTIVE, impl.getState());
        for (ServiceTracker<AioContext, AioContext> tracker : List.of(swapped, main)) {
            AioContext ctx = Services.await(tracker, "a context");
            assertEquals(ctx.name(), scheduler, tracker.getServiceReference().getProperty(AioContext.SCHEDULER));
            assertEquals(ctx.name(), scheduler, ctx.schedulerName());
            assertTrue(ctx.name() + " runs a task in its own thread",
                    ctx.call(ctx::inContextThread, Duration.ofMillis(Services.TIMEOUT_MS)));
        }
    }

    private static ServiceReference<AioContext> awaitReference(ServiceTracker<AioContext, AioContext> tracker,
            String name) throws InterruptedException {
        Services.await(tracker, name);
        return Objects.requireNonNull(tracker.getServiceReference(), name);
    }

    /** Waits for a registration of the context other than {@code old}. */
    private static void awaitReplacement(ServiceTracker<AioContext, AioContext> tracker,
            ServiceReference<AioContext> old, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Services.TIMEOUT_MS * 1_000_000;
        ServiceReference<AioContext> current = tracker.getServiceReference();
        while ((current == null || current.equals(old)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            current = tracker.getServiceReference();
        }
        assertNotNull(name + " did not come back within " + Services.TIMEOUT_MS + " ms", current);
        assertFalse(name + " is still the old build's service", current.equals(old));
    }

    private Set<Long> contextServiceIds() throws Exception {
        Set<Long> ids = new HashSet<>();
        for (ServiceReference<AioContext> reference : context.getServiceReferences(AioContext.class, null)) {
            ids.add((Long) reference.getProperty(Constants.SERVICE_ID));
        }
        return ids;
    }

    /**
     * Waits until exactly one live thread has {@code name}: the new build's thread has started
     * (the service is registered after it) and the old one has ended (it is joined when the old
     * build stops, but give it the same bound as every other wait here).
     */
    private static void awaitOneThread(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Services.TIMEOUT_MS * 1_000_000;
        long count = threadsNamed(name);
        while (count != 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            count = threadsNamed(name);
        }
        assertEquals("live threads named '" + name + "'", 1, count);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals(name))
                .count();
    }

    @FunctionalInterface
    private interface Update {
        String run() throws Exception;
    }
}
