package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hvkit.monitor.shell.ProgressLineTest.soFar;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StopOnInterruptTest {

    private final List<WorkloadResult> passed = new ArrayList<>();
    private final StopOnInterrupt progress = new StopOnInterrupt(passed::add);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldPassReportsOnWhileNotInterrupted() {
        progress.progress(soFar(10, 0, 1000));

        assertThat(passed).hasSize(1);
    }

    @Test
    void shouldEndTheRunWithTheTotalsOnceInterruptedAndKeepTheInterrupt() {
        WorkloadResult totals = soFar(10, 5, 2000);
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> progress.progress(totals)).isInstanceOfSatisfying(StopOnInterrupt.Stopped.class,
                stopped -> assertThat(stopped.soFar()).isSameAs(totals));
        assertThat(passed).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
