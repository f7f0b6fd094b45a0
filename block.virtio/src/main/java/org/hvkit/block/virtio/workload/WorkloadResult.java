package org.hvkit.block.virtio.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * What a workload did: completed reads and writes, bytes moved, the elapsed time and
 * completion latency percentiles (submit to reap, in nanoseconds), verify mismatches and
 * errors.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param reads reads completed with status OK
 * @param writes writes completed with status OK
 * @param bytes bytes read and written by those
 * @param elapsed the time from the start of the run to the end (or to the snapshot)
 * @param latencyP50Nanos the median latency
 * @param latencyP99Nanos the 99th percentile latency
 * @param latencyP999Nanos the 99.9th percentile latency
 * @param latencyMaxNanos the largest latency
 * @param mismatches reads in verify mode whose data was not what the last acknowledged
 *     write of that block wrote
 * @param errors requests completed with a status other than OK or never completed, plus 1 if
 *     the device entered NEEDS_RESET
 */
public record WorkloadResult(long reads, long writes, long bytes, Duration elapsed, long latencyP50Nanos,
        long latencyP99Nanos, long latencyP999Nanos, long latencyMaxNanos, long mismatches, long errors) {

    /** Checks that the elapsed time is present. */
    public WorkloadResult {
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Reads and writes completed with status OK. */
    public long ios() {
        return reads + writes;
    }

    /** Completed I/Os per second of elapsed time; 0 if no time elapsed. */
    public double iops() {
        double seconds = seconds();
        return seconds > 0 ? ios() / seconds : 0;
    }

    /** Megabytes (10^6 bytes, as fio's MB/s) per second of elapsed time; 0 if no time elapsed. */
    public double megabytesPerSecond() {
        double seconds = seconds();
        return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
