package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.monitor.TimerSnapshot;
import org.junit.jupiter.api.Test;

class TimersCommandTest {

    private static TimersCommand commandWith(TimerSnapshot... timers) {
        return new TimersCommand(Fakes.registry(Fakes.context("iothread0",
                Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1), List.of(), List.of(timers)))));
    }

    @Test
    void shouldShowEachTimerWithItsClockAndTimeLeft() {
        String out = commandWith(
                new TimerSnapshot("late", ClockType.HOST, 10_000_000_000L, -2_500_000L),
                new TimerSnapshot("retry", ClockType.VIRTUAL, 1_500_000_000L, 1_500_000_000L))
                .timers(false, "iothread0");

        assertThat(out.lines()).containsExactly(
                "NAME   CLOCK         EXPIRES-IN  EXPIRE-AT-NS",
                "late   HOST     overdue 2.50 ms   10000000000",
                "retry  VIRTUAL           1.50 s    1500000000");
    }

    @Test
    void shouldSayInOneLineThatNoTimerIsArmed() {
        assertThat(commandWith().timers(false, "iothread0")).isEqualTo("no timers armed in iothread0");
    }

    @Test
    void shouldWriteEachTimerAsAJsonObject() {
        String out = commandWith(new TimerSnapshot("retry", ClockType.VIRTUAL, 7, 5)).timers(true, "iothread0");

        JsonObject timer = JsonParser.parseString(out).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(timer.keySet()).containsExactly("name", "clock", "expireAtNanos", "remainingNanos");
        assertThat(timer.get("clock").getAsString()).isEqualTo("VIRTUAL");
    }

    @Test
    void shouldNameTheContextsInOneLineForAnUnknownOneOrNone() {
        assertThat(commandWith().timers(false, "x")).isEqualTo("aio:timers: no context 'x'; contexts: iothread0");
        assertThat(commandWith().timers(false)).isEqualTo("aio:timers: give a context name; contexts: iothread0");
    }
}
