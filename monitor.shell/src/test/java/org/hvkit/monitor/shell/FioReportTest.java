package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

class FioReportTest {

    private static final WorkloadResult MIXED = new WorkloadResult(104_200, 103_950, (104_200L + 103_950) * 4096,
            Duration.ofSeconds(2), 45_200, 210_000, 480_400, 2_100_000, 0, 0);

    @Test
    void shouldPrintTheJobLineRatesLatenciesCountsAndVerify() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 8, 2, Duration.ofSeconds(2)).withVerify(true);

        String report = FioReport.render(FioRun.of("vblk0", spec, MIXED));

        assertThat(report.lines()).containsExactly(
                "vblk0: (rw=randrw, bs=4k, iodepth=8, queues=2, runtime=2s, verify=on, rwmixread=50, seed=1)",
                "  read: IOPS=52.1k, BW=213.4 MB/s (426.8 MB in 2.000s)",
                " write: IOPS=52.0k, BW=212.9 MB/s (425.8 MB in 2.000s)",
                "  lat (usec): p50=45, p99=210, p99.9=480, max=2100",
                "  ios: read=104200, write=103950, total=208150",
                "  verify: mismatches=0, errors=0");
    }

    @Test
    void shouldSayVerifyIsOffAndStillCountErrors() {
        WorkloadSpec spec = new WorkloadSpec(ReadWriteMode.READ, 65536, 1, 1, Duration.ZERO, 100, false, 50, 1);
        WorkloadResult result = new WorkloadResult(97, 0, 97 * 65536L, Duration.ofMillis(1500), 1, 1, 1, 1, 0, 3);

        String report = FioReport.render(FioRun.of("vblk0", spec, result));

        assertThat(report.lines().findFirst()).hasValue(
                "vblk0: (rw=read, bs=64k, iodepth=1, queues=1, number_ios=100, verify=off)");
        assertThat(report).contains(" write: IOPS=0, BW=0.0 MB/s (0.0 MB in 1.500s)")
                .endsWith("  verify: off, errors=3" + System.lineSeparator());
    }

    @Test
    void shouldWriteASubSecondRuntimeInMilliseconds() {
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDWRITE, 512, 4, 1, Duration.ofMillis(1500));

        assertThat(FioReport.jobLine(spec)).isEqualTo(
                "(rw=randwrite, bs=512, iodepth=4, queues=1, runtime=1500ms, verify=off, seed=1)");
    }
}
