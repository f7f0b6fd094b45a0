package org.hvkit.block.virtio.driver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.hvkit.block.virtio.workload.WorkloadResult;

/**
 * The counters and the latency histogram of one workload run. The histogram's range is fixed
 * (1 ns to {@link #HIGHEST_LATENCY_NANOS}, 3 significant digits), so recording never resizes
 * it and allocates nothing; a longer latency is recorded as the highest.
 *
 * <p>Thread-safety: none; the workload's thread only.
 */
final class WorkloadStats {

    /** The highest latency the histogram tells apart: 60 s. */
    static final long HIGHEST_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram latencies = new Histogram(HIGHEST_LATENCY_NANOS, 3);
    private long reads;
    private long writes;
    private long bytes;
    private long mismatches;
    private long errors;

    /** A request completed OK after {@code latencyNanos}. */
    void completed(boolean write, int length, long latencyNanos) {
        if (write) {
            writes++;
        } else {
            reads++;
        }
        bytes += length;
        record(latencyNanos);
    }

    /** A request completed with a status other than OK. */
    void failed(long latencyNanos) {
        errors++;
        record(latencyNanos);
    }

    /** Requests that never completed, or the device's NEEDS_RESET, count as errors. */
    void addErrors(long n) {
        errors += n;
    }

    /** A verified read did not hold what the last write of its block wrote. */
    void mismatch() {
        mismatches++;
    }

    long errors() {
        return errors;
    }

    private void record(long latencyNanos) {
        latencies.recordValue(Math.max(0, Math.min(latencyNanos, HIGHEST_LATENCY_NANOS)));
    }

    /**
     * The totals so far.
     *
     * @param elapsedNanos the time since the start of the run
     * @return the result
     */
    WorkloadResult snapshot(long elapsedNanos) {
        return new WorkloadResult(reads, writes, bytes, Duration.ofNanos(elapsedNanos),
                latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99),
                latencies.getValueAtPercentile(99.9), latencies.getMaxValue(), mismatches, errors);
    }
}
