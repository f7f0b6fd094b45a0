package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.junit.jupiter.api.Test;

class ContextsTableTest {

    private static ContextSnapshot snapshot(String name, long polls, long pollMax) {
        ContextCounters counters = new ContextCounters(polls, 0, 7, 7, 0, 0, 0, 3, 4, 0, 0, 0, 0);
        return new ContextSnapshot(name, "sliced", "IO " + name, 0, List.of(), -1, 0, 2, List.of(),
                pollMax, 0, counters);
    }

    @Test
    void shouldAlignColumnsUnderTheirHeaders() {
        ContextsTable table = new ContextsTable();
        table.add(snapshot("iothread0", 123456, 32768));
        table.add(snapshot("main", 5, 0));

        List<String> lines = table.render().lines().toList();

        assertThat(lines).hasSize(3);
        int pollsEnd = lines.get(0).indexOf("POLLS") + "POLLS".length();
        assertThat(lines.get(1).substring(0, pollsEnd)).endsWith("123456");
        assertThat(lines.get(2).substring(0, pollsEnd)).endsWith("5");
        assertThat(lines.get(2)).startsWith("main ").contains("0/2").endsWith("off");
    }

    @Test
    void shouldShowABusyContextAsARowSayingSo() {
        ContextsTable table = new ContextsTable();
        table.addBusy("iothread1", "linear");

        assertThat(table.render().lines().skip(1).findFirst()).hasValueSatisfying(
                row -> assertThat(row).startsWith("iothread1").contains("(busy)").contains("linear"));
    }
}
