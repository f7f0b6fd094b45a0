package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

class WatchCommandTest {

    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    /** A screen with a keyboard whose key is pressed during the wait numbered {@code keyAt}. */
    private static class ScriptedScreen implements Screen {
        final List<Duration> waits = new ArrayList<>();
        final int keyAt;
        int clears;
        boolean closed;

        ScriptedScreen(int keyAt) {
            this.keyAt = keyAt;
        }

        @Override
        public boolean hasKeyboard() {
            return true;
        }

        @Override
        public void clear(PrintStream out) {
            clears++;
        }

        @Override
        public boolean awaitKey(Duration wait) {
            waits.add(wait);
            return waits.size() == keyAt;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static ContextRegistry registryOf(ContextSnapshot... snapshots) {
        return Fakes.registry(Fakes.context("iothread0", snapshots));
    }

    @Test
    void shouldRefreshCountTimesWaitingTheIntervalBetween() throws Exception {
        ScriptedScreen screen = new ScriptedScreen(0);

        String result = WatchCommand.run(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))),
                "iothread0", Duration.ofMillis(250), 3, screen, out);

        assertThat(result).isNull();
        assertThat(screen.clears).isEqualTo(3);
        assertThat(screen.waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
        assertThat(output().lines().filter(line -> line.startsWith("aio:watch iothread0"))).containsExactly(
                "aio:watch iothread0: every 250 ms, refresh 1 of 3, any key stops",
                "aio:watch iothread0: every 250 ms, refresh 2 of 3, any key stops",
                "aio:watch iothread0: every 250 ms, refresh 3 of 3, any key stops");
    }

    @Test
    void shouldStopWhenAKeyIsPressed() throws Exception {
        ScriptedScreen screen = new ScriptedScreen(2);

        WatchCommand.run(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))), "iothread0",
                Duration.ofSeconds(1), 0, screen, out);

        assertThat(output().lines().filter(line -> line.startsWith("aio:watch"))).hasSize(2);
    }

    @Test
    void shouldShowTheContextRowAndRatesSinceThePreviousRefresh() throws Exception {
        WatchCommand.run(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 10)),
                        Fakes.snapshot("iothread0", 2 * SECOND, Fakes.counters(300, 30))),
                "iothread0", Duration.ofSeconds(1), 2, new ScriptedScreen(0), out);

        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(10);
        assertThat(lines.get(2)).startsWith("iothread0  IO iothread0  sliced");
        assertThat(lines.get(3)).startsWith("POLLS/S  BH-RUNS/S");
        assertThat(lines.get(4).trim()).startsWith("-");
        assertThat(lines.get(9).trim()).startsWith("100.0       10.0");
    }

    @Test
    void shouldShowABusyContextAndGoOn() throws Exception {
        ContextRegistry registry = Fakes.registry(Fakes.context("iothread0", () -> {
            throw new ContextBusyException("context 'iothread0' did not answer within 1000 ms");
        }));

        WatchCommand.run(registry, "iothread0", Duration.ofSeconds(1), 2, new ScriptedScreen(0), out);

        assertThat(output().lines().filter(line -> line.contains("(busy)"))).hasSize(2);
    }

    @Test
    void shouldEndWithOneLineWhenTheContextGoesAway() throws Exception {
        ContextRegistry registry = registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1)));
        Screen screen = new ScriptedScreen(0) {
            @Override
            public boolean awaitKey(Duration wait) {
                registry.all().forEach(registry::removeContext);
                return false;
            }
        };

        String result = WatchCommand.run(registry, "iothread0", Duration.ofSeconds(1), 5, screen, out);

        assertThat(result).isEqualTo("aio:watch: no context 'iothread0'; contexts: ");
    }

    @Test
    void shouldRefreshUntilCountInASessionWithoutTerminal() {
        WatchCommand command = new WatchCommand(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))));
        PrintStream stdout = System.out;
        System.setOut(out);
        try {
            assertThat(command.watch(Fakes.session(), "iothread0", "10ms", "2")).isNull();
        } finally {
            System.setOut(stdout);
        }

        assertThat(output().lines().filter(line -> line.startsWith("aio:watch"))).containsExactly(
                "aio:watch iothread0: every 10.0 ms, refresh 1 of 2",
                "aio:watch iothread0: every 10.0 ms, refresh 2 of 2");
        assertThat(output()).contains(System.lineSeparator() + System.lineSeparator() + "aio:watch");
    }

    @Test
    void shouldTreatANonInteractiveSessionWithATerminalAsHavingNoKeyboard() throws Exception {
        WatchCommand command = new WatchCommand(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))));
        CommandSession session = Fakes.session();
        try (Terminal terminal = dumbTerminal()) {
            session.put(Screen.TERMINAL, terminal);

            assertThat(command.watch(session, "iothread0"))
                    .isEqualTo("aio:watch: give a count: this session has no keyboard to stop the view");
        }
    }

    @Test
    void shouldLetAKeyStopTheViewInAnInteractiveSession() throws Exception {
        WatchCommand command = new WatchCommand(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))));
        CommandSession session = Fakes.session();
        try (Terminal terminal = dumbTerminal()) {
            session.put(Screen.TERMINAL, terminal);
            session.put(Screen.READER, new Object());
            PrintStream stdout = System.out;
            System.setOut(out);
            try {
                assertThat(command.watch(session, "iothread0", "10ms", "1")).isNull();
            } finally {
                System.setOut(stdout);
            }
        }

        assertThat(output()).contains("aio:watch iothread0: every 10.0 ms, refresh 1 of 1, any key stops");
    }

    private static Terminal dumbTerminal() throws java.io.IOException {
        return TerminalBuilder.builder().dumb(true).system(false)
                .streams(new java.io.ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build();
    }

    @Test
    void shouldRejectEachBadArgumentInOneLine() {
        WatchCommand command = new WatchCommand(registryOf(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1))));

        assertThat(command.watch(Fakes.session())).isEqualTo("aio:watch: give a context name; contexts: iothread0");
        assertThat(command.watch(Fakes.session(), "nope")).isEqualTo("aio:watch: no context 'nope'; contexts: iothread0");
        assertThat(command.watch(Fakes.session(), "iothread0", "soon")).isEqualTo(
                "aio:watch: interval must be a duration such as 10, 10s, 500ms or 2m, not 'soon'");
        assertThat(command.watch(Fakes.session(), "iothread0", "5ms", "1"))
                .isEqualTo("aio:watch: interval must be at least 10ms, not '5ms'");
        assertThat(command.watch(Fakes.session(), "iothread0", "1s", "0"))
                .isEqualTo("aio:watch: count must be from 1 to 1000000, not 0");
        assertThat(command.watch(Fakes.session(), "iothread0", "1s", "many"))
                .isEqualTo("aio:watch: count must be a whole number, not 'many'");
        assertThat(command.watch(Fakes.session(), "iothread0", "1s"))
                .isEqualTo("aio:watch: give a count: this session has no keyboard to stop the view");
    }
}
