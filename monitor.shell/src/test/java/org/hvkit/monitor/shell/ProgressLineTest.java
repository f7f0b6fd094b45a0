package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    static WorkloadResult soFar(long reads, long writes, long millis) {
        return new WorkloadResult(reads, writes, (reads + writes) * 4096, Duration.ofMillis(millis), 0, 0, 0, 0, 0, 0);
    }

    @Test
    void shouldShowTheRatesSinceTheStartForTheFirstReport() {
        ProgressLine line = new ProgressLine(WorkloadSpec.of(ReadWriteMode.RANDREAD, 4096, 8, 1, Duration.ofSeconds(10)));

        assertThat(line.next(soFar(131_072, 0, 1000))).isEqualTo("[r=131k IOPS, w=0 IOPS][536.9 MB/s][eta 00m:09s]");
    }

    @Test
    void shouldShowTheRatesSinceThePreviousReport() {
        ProgressLine line = new ProgressLine(WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 8, 2, Duration.ofSeconds(10)));
        line.next(soFar(100_000, 100_000, 1000));

        String second = line.next(soFar(110_000, 105_000, 2000));

        assertThat(second).isEqualTo("[r=10.0k IOPS, w=5000 IOPS][61.4 MB/s][eta 00m:08s]");
    }

    @Test
    void shouldRoundWhatIsLeftOfTheRuntimeUp() {
        ProgressLine line = new ProgressLine(WorkloadSpec.of(ReadWriteMode.READ, 4096, 1, 1, Duration.ofSeconds(3)));

        assertThat(line.next(soFar(1000, 0, 1001))).endsWith("[eta 00m:02s]");
        assertThat(line.next(soFar(2000, 0, 1900))).endsWith("[eta 00m:02s]");
        assertThat(line.next(soFar(3000, 0, 3200))).endsWith("[eta 00m:00s]");
    }

    @Test
    void shouldEstimateTheEtaFromTheIoCountWhenThatEndsTheRunFirst() {
        WorkloadSpec spec = new WorkloadSpec(ReadWriteMode.READ, 4096, 1, 1, Duration.ZERO, 30_000, false, 50, 1);
        ProgressLine line = new ProgressLine(spec);

        assertThat(line.next(soFar(10_000, 0, 1000))).endsWith("[eta 00m:02s]");
    }
}
