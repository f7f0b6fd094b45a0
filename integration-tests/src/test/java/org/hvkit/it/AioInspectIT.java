package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ClockType;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/** The aio inspection commands through Gogo, on an IOThread of the test's own configuration (DESIGN §5). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AioInspectIT {

    private static final String CTX = "inspect0";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    private ServiceTracker<AioContext, AioContext> tracker;
    private AioContext ctx;
    private Gogo gogo;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIoThread() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, CTX);
        tracker = Services.track(context, AioContext.class, "(aio.context.name=" + CTX + ")");
        ctx = Services.await(tracker, CTX);
        gogo = new Gogo(commandProcessor);
    }

    @After
    public void closeTracker() {
        tracker.close();
    }

    @Test
    public void shouldListContextsAsJsonWithEveryFieldAndAnIdleLoopAtDepthZero() throws Exception {
        JsonObject row = contextRow(gogo.run("aio:contexts --json"), CTX);

        assertEquals(Set.of("name", "thread", "scheduler", "busy", "polls", "bhRuns", "pendingBhs", "sliceDepth",
                "maxSliceDepth", "wakeUpsSent", "wakeUpsElided", "timersArmed", "pollWindowNs", "pollMaxNs"),
                row.keySet());
        assertEquals("sliced", row.get("scheduler").getAsString());
        assertFalse(row.get("busy").getAsBoolean());
        assertFalse(row.get("thread").getAsString().isEmpty());
        assertEquals("an idle loop", 0, row.get("sliceDepth").getAsInt());
    }

    @Test
    public void shouldListContextsAsATable() throws Exception {
        String out = gogo.run("aio:contexts");

        assertTrue(out, out.lines().findFirst().orElse("").startsWith("NAME"));
        assertTrue(out, out.lines().anyMatch(line -> line.startsWith(CTX + " ") && line.contains(" sliced ")));
        assertTrue(out, out.lines().anyMatch(line -> line.startsWith("main ")));
    }

    @Test
    public void shouldShowABhWaitingInSliceOneWhileACallbackSitsInANestedPoll() throws Exception {
        CountDownLatch nested = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.scheduleOneshot("it-nest", () -> nestUntil(release, nested, done));
        assertTrue("the callback started", nested.await(Services.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        String bh;
        String contexts;
        try {
            bh = gogo.run("aio:bh " + CTX);
            contexts = gogo.run("aio:contexts --json");
        } finally {
            release.set(true);
            ctx.wakeUp();
        }
        done.get(Services.TIMEOUT_MS, TimeUnit.MILLISECONDS);

        assertTrue(bh, bh.lines().findFirst().orElse("").matches("NAME +FLAGS +WAITS-IN +OWNER"));
        assertTrue(bh, bh.lines().anyMatch(line -> line.matches("it-waiting +PS--I +slice 1 +.*")));
        assertEquals(contexts, 1, contextRow(contexts, CTX).get("sliceDepth").getAsInt());
        assertEquals(contexts, 0, contextRow(gogo.run("aio:contexts --json"), CTX).get("sliceDepth").getAsInt());
    }

    /**
     * In the context's thread: schedules an idle BH, waits for the next non-idle one (the
     * snapshot of {@code aio:bh}, pushed after it, so ahead of it in the slice the next poll
     * takes), then keeps polling nested, so that the snapshots still run, until released.
     */
    private void nestUntil(AtomicBoolean release, CountDownLatch nested, CompletableFuture<Void> done) {
        BottomHalf waiting = ctx.newBottomHalf("it-waiting", () -> { });
        waiting.scheduleIdle();
        nested.countDown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        while (ctx.computeTimeoutNanos() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        while (!release.get()) {
            ctx.poll(true);
        }
        waiting.delete();
        done.complete(null);
    }

    @Test
    public void shouldSayInOneLineThatNoBhIsPending() throws Exception {
        assertEquals("no bottom halves pending in " + CTX, gogo.run("aio:bh " + CTX).trim());
    }

    @Test
    public void shouldListPendingBhsAsJson() throws Exception {
        JsonArray bhs = JsonParser.parseString(gogo.run("aio:bh --json " + CTX)).getAsJsonArray();

        assertEquals("the snapshot runs what was pending before it", 0, bhs.size());
    }

    @Test
    public void shouldListArmedTimers() throws Exception {
        AioTimer timer = ctx.newTimer(ClockType.HOST, "it-timer", () -> { });
        timer.modRelativeNanos(TimeUnit.SECONDS.toNanos(60));
        try {
            String out = gogo.run("aio:timers " + CTX);
            JsonArray json = JsonParser.parseString(gogo.run("aio:timers --json " + CTX)).getAsJsonArray();

            assertTrue(out, out.lines().anyMatch(line -> line.matches("it-timer +HOST +\\d+(\\.\\d+)? s +\\d+")));
            JsonObject first = json.get(0).getAsJsonObject();
            assertEquals("it-timer", first.get("name").getAsString());
            assertEquals("HOST", first.get("clock").getAsString());
            assertTrue(json.toString(), first.get("remainingNanos").getAsLong() > 0);
        } finally {
            timer.delete();
        }
    }

    @Test
    public void shouldShowRatesFromTheSecondStatsOfASession() throws Exception {
        String first = gogo.run("aio:stats " + CTX);
        // One session, two calls; the shell prints the result of the last one.
        String out = gogo.run("aio:stats " + CTX + " ; aio:stats " + CTX);

        assertTrue(first, first.lines().anyMatch(line -> line.matches("polls +\\d+ +-")));
        assertTrue(first, first.contains("rates need a second call: run aio:stats " + CTX + " again"));
        assertTrue(out, out.lines().anyMatch(line -> line.startsWith("rates over the ")));
        assertTrue(out, out.lines().anyMatch(line -> line.matches("polls +\\d+ +\\d+\\.\\d")));
    }

    @Test
    public void shouldWriteStatsAsJson() throws Exception {
        JsonObject stats = JsonParser.parseString(gogo.run("aio:stats --json " + CTX)).getAsJsonObject();

        assertEquals(CTX, stats.get("context").getAsString());
        assertTrue(stats.toString(), stats.getAsJsonObject("counters").get("polls").getAsLong() > 0);
    }

    @Test
    public void shouldRefreshTheWatchCountTimes() throws Exception {
        String out = gogo.run("aio:watch " + CTX + " 50ms 3");

        assertEquals(out, List.of(
                "aio:watch " + CTX + ": every 50.0 ms, refresh 1 of 3",
                "aio:watch " + CTX + ": every 50.0 ms, refresh 2 of 3",
                "aio:watch " + CTX + ": every 50.0 ms, refresh 3 of 3"),
                out.lines().filter(line -> line.startsWith("aio:watch")).toList());
        assertEquals(out, 3, out.lines().filter(line -> line.startsWith(CTX + " ")).count());
    }

    @Test
    public void shouldAnswerEachBadArgumentWithOneLine() throws Exception {
        assertOneLine("aio:bh nope", "aio:bh: no context 'nope'; contexts: ");
        assertOneLine("aio:bh", "aio:bh: give a context name; contexts: ");
        assertOneLine("aio:bh --json", "aio:bh: give a context name; contexts: ");
        assertOneLine("aio:timers nope", "aio:timers: no context 'nope'; contexts: ");
        assertOneLine("aio:timers", "aio:timers: give a context name; contexts: ");
        assertOneLine("aio:stats nope", "aio:stats: no context 'nope'; contexts: ");
        assertOneLine("aio:stats", "aio:stats: give a context name; contexts: ");
        assertOneLine("aio:watch nope 1s 1", "aio:watch: no context 'nope'; contexts: ");
        assertOneLine("aio:watch", "aio:watch: give a context name; contexts: ");
        assertOneLine("aio:watch " + CTX + " soon 2", "aio:watch: interval must be a duration such as 10, 10s,");
        assertOneLine("aio:watch " + CTX + " 0 2", "aio:watch: interval must be at least 10ms, not '0'");
        assertOneLine("aio:watch " + CTX + " 1s many", "aio:watch: count must be a whole number, not 'many'");
        assertOneLine("aio:watch " + CTX + " 1s 0", "aio:watch: count must be from 1 to 1000000, not 0");
        assertOneLine("aio:watch " + CTX, "aio:watch: give a count: this session has no keyboard");
    }

    private void assertOneLine(String command, String expectedStart) throws Exception {
        String line = gogo.oneLine(command);
        assertTrue(command + " gave: " + line, line.startsWith(expectedStart));
        if (line.contains("contexts: ")) {
            assertTrue(command + " names the contexts: " + line, line.contains(CTX));
        }
    }

    private static JsonObject contextRow(String json, String name) {
        for (JsonElement row : JsonParser.parseString(json).getAsJsonArray()) {
            if (row.getAsJsonObject().get("name").getAsString().equals(name)) {
                return row.getAsJsonObject();
            }
        }
        throw new AssertionError("no context " + name + " in " + json);
    }
}
