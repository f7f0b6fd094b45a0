package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.aio.AioContext;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The steering commands, aio:scheduler and aio:iothread, run through Gogo as a user types
 * them; aio:contexts shows what they did.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AioSteerIT {

    /** An IOThread made through ConfigurationAdmin, as FileInstall makes iothread0. */
    private static final String BASE = "it-base";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    private Gogo gogo;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureBaseIoThread() throws Exception {
        gogo = new Gogo(commandProcessor);
        Configurations.ensureIoThread(configurationAdmin, BASE);
        ServiceTracker<AioContext, AioContext> base =
                Services.track(context, AioContext.class, "(aio.context.name=" + BASE + ")");
        try {
            Services.await(base, BASE);
        } finally {
            base.close();
        }
    }

    @Test
    public void shouldAddAnIoThreadThatAioContextsShowsAndRemoveIt() throws Exception {
        assertEquals("it-x: IOThread added", gogo.run("aio:iothread add it-x").strip());
        try {
            assertTrue(contextsRow("it-x").isPresent());
        } finally {
            assertEquals("it-x: IOThread removed", gogo.run("aio:iothread remove it-x").strip());
        }
        assertFalse(contextsRow("it-x").isPresent());
    }

    @Test
    public void shouldAddAnIoThreadWithSettings() throws Exception {
        assertEquals("it-with: IOThread added with scheduler=linear poll.max.ns=0",
                gogo.run("aio:iothread add it-with scheduler=linear poll.max.ns=0").strip());
        try {
            assertEquals("linear", cell("aio:contexts", "it-with", "SCHED"));
            assertEquals("off", cell("aio:contexts", "it-with", "POLL-NS"));
        } finally {
            gogo.run("aio:iothread remove it-with");
        }
    }

    @Test
    public void shouldSwitchTheSchedulerByRecreatingTheIoThread() throws Exception {
        gogo.run("aio:iothread add it-sched");
        ServiceTracker<AioContext, AioContext> tracker =
                Services.track(context, AioContext.class, "(aio.context.name=it-sched)");
        try {
            Object before = Services.await(tracker, "it-sched");
            assertEquals("it-sched: scheduler sliced", gogo.run("aio:scheduler it-sched").strip());

            assertEquals("it-sched: scheduler sliced -> linear", gogo.run("aio:scheduler it-sched linear").strip());

            assertEquals("it-sched: scheduler linear", gogo.run("aio:scheduler it-sched").strip());
            assertEquals("linear", cell("aio:contexts", "it-sched", "SCHED"));
            assertEquals("linear", tracker.getServiceReference().getProperty("aio.scheduler"));
            assertNotSame(before, tracker.getService());
        } finally {
            tracker.close();
            gogo.run("aio:iothread remove it-sched");
        }
    }

    @Test
    public void shouldSayTheSchedulerIsAlreadySoWithoutRecreatingTheIoThread() throws Exception {
        ServiceTracker<AioContext, AioContext> tracker =
                Services.track(context, AioContext.class, "(aio.context.name=" + BASE + ")");
        try {
            Object serviceId = tracker.getServiceReference().getProperty("service.id");

            assertEquals(BASE + ": scheduler is already sliced", gogo.run("aio:scheduler " + BASE + " sliced").strip());

            assertEquals(serviceId, tracker.getServiceReference().getProperty("service.id"));
        } finally {
            tracker.close();
        }
    }

    @Test
    public void shouldSetPollMaxNsSoThatAioContextsShowsAdaptivePollingOff() throws Exception {
        gogo.run("aio:iothread add it-set");
        try {
            assertEquals("0/32768", cell("aio:contexts", "it-set", "POLL-NS"));

            assertEquals("it-set: poll.max.ns default -> 0", gogo.run("aio:iothread set it-set poll.max.ns=0").strip());

            assertEquals("off", cell("aio:contexts", "it-set", "POLL-NS"));
            assertEquals("0", cell("aio:iothread list", "it-set", "POLL.MAX.NS"));
            assertEquals("it-set: no change; already poll.max.ns=0",
                    gogo.run("aio:iothread set it-set poll.max.ns=0").strip());
        } finally {
            gogo.run("aio:iothread remove it-set");
        }
    }

    @Test
    public void shouldListTheIoThreadConfigurations() throws Exception {
        assertEquals("running", cell("aio:iothread list", BASE, "CONTEXT"));
        assertEquals("-", cell("aio:iothread list", BASE, "SCHEDULER"));
        assertEquals("-", cell("aio:iothread list", BASE, "POLL.MAX.NS"));
    }

    @Test
    public void shouldListTheIoThreadConfigurationsAsJson() throws Exception {
        JsonObject base = null;
        for (JsonElement e : JsonParser.parseString(gogo.run("aio:iothread list --json")).getAsJsonArray()) {
            if (BASE.equals(e.getAsJsonObject().get("name").getAsString())) {
                base = e.getAsJsonObject();
            }
        }

        assertTrue("no " + BASE + " in aio:iothread list --json", base != null);
        assertTrue(base.get("running").getAsBoolean());
        assertEquals("keys the configuration does not set are absent", 0, base.get("settings").getAsJsonObject().size());
    }

    @Test
    public void shouldAnswerEachBadSchedulerArgumentWithOneLine() throws Exception {
        assertOneLine("aio:scheduler", "aio:scheduler: name a context; contexts: ");
        assertOneLine("aio:scheduler nope", "aio:scheduler: no context 'nope'; contexts: ");
        assertOneLine("aio:scheduler nope linear", "aio:scheduler: no context 'nope'; contexts: ");
        assertOneLine("aio:scheduler " + BASE + " fifo",
                "aio:scheduler: unknown scheduler 'fifo'; choose sliced or linear");
        assertOneLine("aio:scheduler main linear", "aio:scheduler: the main context's scheduler (sliced) is fixed");
        assertEquals("main: scheduler sliced", gogo.run("aio:scheduler main").strip());
    }

    @Test
    public void shouldAnswerEachBadIoThreadArgumentWithOneLineAndChangeNothing() throws Exception {
        assertOneLine("aio:iothread", "aio:iothread: name an action: add, remove, set or list");
        assertOneLine("aio:iothread frob", "aio:iothread: unknown action 'frob'");
        assertOneLine("aio:iothread add", "aio:iothread: add needs the IOThread's name");
        assertOneLine("aio:iothread remove", "aio:iothread: remove needs the IOThread's name");
        assertOneLine("aio:iothread set", "aio:iothread: set needs the IOThread's name");
        assertOneLine("aio:iothread set " + BASE, "aio:iothread: set needs key=value pairs; keys: scheduler,");
        assertOneLine("aio:iothread add " + BASE, "aio:iothread: '" + BASE + "' exists already");
        assertOneLine("aio:iothread add main", "aio:iothread: 'main' is reserved for the main context");
        assertOneLine("aio:iothread add it-bad name=other", "aio:iothread: the name is the IOThread's identity");
        assertOneLine("aio:iothread add it-bad poll.max=0", "aio:iothread: unknown key 'poll.max'; keys: scheduler,"
                + " poll.max.ns, poll.grow, poll.shrink, aio.max.batch");
        assertOneLine("aio:iothread add it-bad scheduler=fifo", "aio:iothread: unknown scheduler 'fifo'");
        assertOneLine("aio:iothread set " + BASE + " poll.max=0", "aio:iothread: unknown key 'poll.max'; keys: ");
        assertOneLine("aio:iothread set " + BASE + " poll.max.ns=lots",
                "aio:iothread: poll.max.ns must be a whole number, not 'lots'");
        assertOneLine("aio:iothread set " + BASE + " poll.grow=-2", "aio:iothread: poll.grow must be from 0 to ");
        assertOneLine("aio:iothread set nope poll.grow=2", "aio:iothread: no IOThread 'nope'; IOThreads: ");
        assertOneLine("aio:iothread set main poll.grow=2", "aio:iothread: the main context is not an IOThread");
        assertOneLine("aio:iothread remove nope", "aio:iothread: no IOThread 'nope'; IOThreads: ");
        assertOneLine("aio:iothread remove main", "aio:iothread: the main context is not an IOThread");

        assertFalse(contextsRow("it-bad").isPresent());
        assertEquals("-", cell("aio:iothread list", BASE, "POLL.GROW"));
    }

    private void assertOneLine(String command, String start) throws Exception {
        String line = gogo.oneLine(command);
        assertTrue(command + " -> " + line, line.startsWith(start));
    }

    /** The row of aio:contexts for the context {@code name}, if it lists one. */
    private Optional<String> contextsRow(String name) throws Exception {
        return row(gogo.run("aio:contexts"), name);
    }

    /** The cell under {@code header} in the row of {@code name} of what {@code command} printed. */
    private String cell(String command, String name, String header) throws Exception {
        String table = gogo.run(command);
        String row = row(table, name).orElseThrow(() -> new AssertionError(name + " not in " + table));
        return cellUnder(table.lines().findFirst().orElseThrow(), row, header);
    }

    private static Optional<String> row(String table, String name) {
        return table.lines().filter(line -> line.startsWith(name + " ")).findFirst();
    }

    /**
     * The word of {@code row} that lies under {@code header}: text columns start under their
     * header, number columns end under it, and either way the cell overlaps it.
     */
    private static String cellUnder(String headerLine, String row, String header) {
        Matcher at = Pattern.compile("(?<=^|\\s)" + Pattern.quote(header) + "(?=\\s|$)").matcher(headerLine);
        assertTrue(header + " in " + headerLine, at.find());
        Matcher word = Pattern.compile("\\S+").matcher(row);
        while (word.find()) {
            if (word.start() < at.end() && word.end() > at.start()) {
                return word.group();
            }
        }
        throw new AssertionError("nothing under " + header + " in " + row);
    }
}
