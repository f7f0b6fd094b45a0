package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.junit.jupiter.api.Test;

class ContextRowTest {

    private static ContextSnapshot snapshot(String name, long polls, long pollMax) {
        return new ContextSnapshot(name, "sliced", "IO " + name, 0, List.of(), -1, 0, 2, List.of(), pollMax, 0,
                Fakes.counters(polls, 7));
    }

    @Test
    void shouldAlignColumnsUnderTheirHeaders() {
        List<String> lines = ContextRow.table(List.of(ContextRow.of(snapshot("iothread0", 123456, 32768)),
                ContextRow.of(snapshot("main", 5, 0)))).lines().toList();

        assertThat(lines).hasSize(3);
        int pollsEnd = lines.get(0).indexOf("POLLS") + "POLLS".length();
        assertThat(lines.get(1).substring(0, pollsEnd)).endsWith("123456");
        assertThat(lines.get(2).substring(0, pollsEnd)).endsWith("5");
        assertThat(lines.get(1)).endsWith("0/32768");
        assertThat(lines.get(2)).startsWith("main ").contains(" 0/2 ").endsWith("off");
    }

    @Test
    void shouldShowABusyContextAsARowSayingSo() {
        String table = ContextRow.table(List.of(ContextRow.busy("iothread1", "linear")));

        assertThat(table.lines().skip(1).findFirst()).hasValueSatisfying(
                row -> assertThat(row).startsWith("iothread1").contains("(busy)").contains("linear"));
    }

    @Test
    void shouldWriteEveryColumnAsAJsonField() {
        JsonObject row = JsonParser.parseString(Json.render(List.of(ContextRow.of(snapshot("main", 5, 0)))))
                .getAsJsonArray().get(0).getAsJsonObject();

        assertThat(row.keySet()).containsExactly("name", "thread", "scheduler", "busy", "polls", "bhRuns",
                "pendingBhs", "sliceDepth", "maxSliceDepth", "wakeUpsSent", "wakeUpsElided", "timersArmed",
                "pollWindowNs", "pollMaxNs");
        assertThat(row.get("polls").getAsLong()).isEqualTo(5);
        assertThat(row.get("busy").getAsBoolean()).isFalse();
    }

    @Test
    void shouldLeaveNumbersOutOfABusyContextsJson() {
        JsonArray rows = JsonParser.parseString(Json.render(List.of(ContextRow.busy("iothread1", "linear"))))
                .getAsJsonArray();

        assertThat(rows.get(0).getAsJsonObject().keySet()).containsExactly("name", "scheduler", "busy");
    }

    @Test
    void shouldListEveryContextAndMarkTheOneThatDoesNotAnswer() {
        ContextsCommand command = new ContextsCommand(Fakes.registry(
                Fakes.context("main", snapshot("main", 5, 0)),
                Fakes.context("iothread0", () -> {
                    throw new ContextBusyException("context 'iothread0' did not answer within 1000 ms");
                })));

        List<String> lines = command.contexts(false).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("iothread0 ").contains("(busy)");
        assertThat(lines.get(2)).startsWith("main ").contains("IO main");
    }
}
