package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Allocation in the workload's thread, per request: two runs that differ only in their I/O
 * count allocate the same set-up (histogram, slots, tracker), so the difference is what the
 * extra requests allocated. An IOThread serves the queue; this thread only submits, waits
 * and reaps.
 */
class WorkloadAllocationTest {

    private static final long SHORT = 10_000;
    private static final long LONGER = 110_000;

    private final WorkloadFixture f = new WorkloadFixture(1, new NullBackend(64 << 20, false));

    @AfterEach
    void close() throws InterruptedException {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldAllocateNothingPerRequestInSteadyState(boolean verify) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        WorkloadSpec spec = WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 16, 1, Duration.ofMinutes(1))
                .withVerify(verify);
        f.run(spec.withIoCount(LONGER)); // warm-up: class loading and compilation

        long before = threads.getCurrentThreadAllocatedBytes();
        WorkloadResult shortRun = f.run(spec.withIoCount(SHORT));
        long middle = threads.getCurrentThreadAllocatedBytes();
        WorkloadResult longRun = f.run(spec.withIoCount(LONGER));
        long after = threads.getCurrentThreadAllocatedBytes();

        assertThat(shortRun.ios()).isEqualTo(SHORT);
        assertThat(longRun.ios()).isEqualTo(LONGER);
        double perRequest = ((after - middle) - (middle - before)) / (double) (LONGER - SHORT);
        assertThat(perRequest).isLessThan(1.0);
    }
}
