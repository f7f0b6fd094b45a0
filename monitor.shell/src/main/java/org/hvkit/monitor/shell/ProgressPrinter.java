package org.hvkit.monitor.shell;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;

/**
 * Shows a running workload's progress line: rewritten in place with {@code \r} on a terminal,
 * one line per report otherwise (a pipe, a file, a test). Nothing is written while the job
 * runs in the background: Gogo suspends a background job that writes to the terminal, which
 * would stall the workload, and the line would garble the prompt.
 *
 * <p>Thread-safety: not shared; called in the workload's thread only.
 */
final class ProgressPrinter implements WorkloadProgress {

    private final ProgressLine line;
    private final PrintStream out;
    private final boolean terminal;
    private final BooleanSupplier visible;
    private int shownWidth;

    /**
     * @param visible false while the line must not be written (a background job)
     */
    ProgressPrinter(ProgressLine line, PrintStream out, boolean terminal, BooleanSupplier visible) {
        this.line = line;
        this.out = out;
        this.terminal = terminal;
        this.visible = visible;
    }

    @Override
    public void progress(WorkloadResult soFar) {
        // Computed even when hidden: the rates are since the previous report.
        String text = line.next(soFar);
        if (!visible.getAsBoolean()) {
            return;
        }
        if (terminal) {
            // Pad over a longer previous line, then leave the cursor at its start.
            out.print("\r" + text + " ".repeat(Math.max(0, shownWidth - text.length())));
            shownWidth = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Clears the line on a terminal, so what follows starts on a clean one. */
    void finish() {
        if (terminal && shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            out.flush();
            shownWidth = 0;
        }
    }
}
