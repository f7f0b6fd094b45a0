package org.hvkit.block.virtio.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadResultTest {

    private static WorkloadResult result(long reads, long writes, long bytes, Duration elapsed) {
        return new WorkloadResult(reads, writes, bytes, elapsed, 1, 2, 3, 4, 0, 0);
    }

    @Test
    void shouldCountReadsAndWritesAsIos() {
        assertThat(result(3, 4, 0, Duration.ofSeconds(1)).ios()).isEqualTo(7);
    }

    @Test
    void shouldDivideIosByElapsedSeconds() {
        assertThat(result(1500, 500, 0, Duration.ofMillis(500)).iops()).isCloseTo(4000.0, within(1e-9));
    }

    @Test
    void shouldGiveMegabytesOfAMillionBytesPerSecond() {
        assertThat(result(0, 0, 3_000_000, Duration.ofSeconds(2)).megabytesPerSecond()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void shouldGiveZeroRatesWhenNoTimeElapsed() {
        WorkloadResult r = result(10, 0, 4096, Duration.ZERO);

        assertThat(r.iops()).isZero();
        assertThat(r.megabytesPerSecond()).isZero();
    }
}
