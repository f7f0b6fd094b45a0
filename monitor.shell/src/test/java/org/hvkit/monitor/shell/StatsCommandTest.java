package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.felix.service.command.CommandSession;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

    private static final long SECOND = 1_000_000_000L;

    private final CommandSession session = Fakes.session();

    private static StatsCommand commandWith(ContextSnapshot... snapshots) {
        return new StatsCommand(Fakes.registry(Fakes.context("iothread0", snapshots)));
    }

    @Test
    void shouldShowTotalsAndAskForASecondCallTheFirstTime() {
        String out = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 40)))
                .stats(session, false, "iothread0");

        assertThat(out.lines().findFirst()).hasValue("COUNTER                TOTAL  PER-SEC");
        assertThat(out.lines()).contains("polls                    100        -", "bhRuns                    40        -");
        assertThat(out.lines().reduce((a, b) -> b)).hasValue("rates need a second call: run aio:stats iothread0 again");
    }

    @Test
    void shouldShowRatesSinceThePreviousCallInTheSameSession() {
        StatsCommand command = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 40)),
                Fakes.snapshot("iothread0", 2 * SECOND, Fakes.counters(300, 50)));
        command.stats(session, false, "iothread0");

        String out = command.stats(session, false, "iothread0");

        assertThat(out.lines()).contains("polls                    300    100.0", "bhRuns                    50      5.0");
        assertThat(out.lines().reduce((a, b) -> b)).hasValue("rates over the 2.00 s since the last aio:stats iothread0");
    }

    @Test
    void shouldKeepThePreviousSnapshotPerSession() {
        StatsCommand command = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 40)),
                Fakes.snapshot("iothread0", 2 * SECOND, Fakes.counters(300, 50)));
        command.stats(session, false, "iothread0");

        String inAnotherSession = command.stats(Fakes.session(), false, "iothread0");

        assertThat(inAnotherSession).contains("rates need a second call");
    }

    @Test
    void shouldGiveNoRatesWhenTheCountersRestarted() {
        StatsCommand command = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 40)),
                Fakes.snapshot("iothread0", SECOND, Fakes.counters(3, 1)));
        command.stats(session, false, "iothread0");

        String out = command.stats(session, false, "iothread0");

        assertThat(out).contains("the counters restarted").contains("polls                      3        -");
    }

    @Test
    void shouldWriteTotalsAndRatesAsJsonObjects() {
        StatsCommand command = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(100, 40)),
                Fakes.snapshot("iothread0", 2 * SECOND, Fakes.counters(300, 50)));
        JsonObject first = JsonParser.parseString(command.stats(session, true, "iothread0")).getAsJsonObject();

        JsonObject second = JsonParser.parseString(command.stats(session, true, "iothread0")).getAsJsonObject();

        assertThat(first.keySet()).containsExactly("context", "counters", "note");
        assertThat(second.keySet()).containsExactly("context", "seconds", "counters", "perSecond", "note");
        assertThat(second.getAsJsonObject("counters").get("polls").getAsLong()).isEqualTo(300);
        assertThat(second.getAsJsonObject("perSecond").get("polls").getAsDouble()).isEqualTo(100.0);
        assertThat(second.getAsJsonObject("counters").keySet()).hasSize(13);
    }

    @Test
    void shouldNameTheContextsInOneLineForAnUnknownOneOrNone() {
        StatsCommand command = commandWith(Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1)));

        assertThat(command.stats(session, false, "x")).isEqualTo("aio:stats: no context 'x'; contexts: iothread0");
        assertThat(command.stats(false)).isEqualTo("aio:stats: give a context name; contexts: iothread0");
    }
}
