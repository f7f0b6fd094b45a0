package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.monitor.shell.ProgressLineTest.soFar;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final ProgressLine line = new ProgressLine(
            WorkloadSpec.of(ReadWriteMode.RANDREAD, 4096, 1, 1, Duration.ofSeconds(10)));

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteOneLinePerReportWhenNotOnATerminal() {
        ProgressPrinter printer = new ProgressPrinter(line, out, false, () -> true);

        printer.progress(soFar(1000, 0, 1000));
        printer.progress(soFar(3000, 0, 2000));
        printer.finish();

        assertThat(printed().lines()).containsExactly("[r=1000 IOPS, w=0 IOPS][4.1 MB/s][eta 00m:09s]",
                "[r=2000 IOPS, w=0 IOPS][8.2 MB/s][eta 00m:08s]");
    }

    @Test
    void shouldRewriteTheLineInPlaceOnATerminalAndClearItAtTheEnd() {
        ProgressPrinter printer = new ProgressPrinter(line, out, true, () -> true);

        printer.progress(soFar(20_000, 0, 1000));
        printer.progress(soFar(21_000, 0, 2000));
        String during = printed();
        printer.finish();

        String first = "[r=20.0k IOPS, w=0 IOPS][81.9 MB/s][eta 00m:09s]";
        String second = "[r=1000 IOPS, w=0 IOPS][4.1 MB/s][eta 00m:08s]";
        // The shorter second line pads over what is left of the first.
        assertThat(during).isEqualTo("\r" + first + "\r" + second + " ".repeat(first.length() - second.length()));
        assertThat(printed().substring(during.length())).isEqualTo("\r" + " ".repeat(second.length()) + "\r");
        assertThat(printed()).doesNotContain("\n");
    }

    @Test
    void shouldWriteNothingWhileHiddenAndKeepTheRatesCurrent() {
        AtomicBoolean visible = new AtomicBoolean(false);
        ProgressPrinter printer = new ProgressPrinter(line, out, false, visible::get);

        printer.progress(soFar(50_000, 0, 1000));
        assertThat(printed()).isEmpty();
        visible.set(true);
        printer.progress(soFar(51_000, 0, 2000));

        assertThat(printed()).startsWith("[r=1000 IOPS,");
    }

    @Test
    void shouldLeaveNothingToClearWhenNothingWasShown() {
        ProgressPrinter printer = new ProgressPrinter(line, out, true, () -> false);

        printer.progress(soFar(1000, 0, 1000));
        printer.finish();

        assertThat(printed()).isEmpty();
    }
}
