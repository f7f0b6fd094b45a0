package org.hvkit.monitor.shell;

import java.util.Locale;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The line fio shows while a job runs, {@code [r=131k IOPS, w=0 IOPS][512.0 MB/s][eta 00m:06s]},
 * from the running totals a workload reports: the rates are those since the previous report
 * (what is happening now, as fio shows), the ETA is what is left of the runtime, or of the
 * I/O count at the current rate when that ends the run sooner.
 *
 * <p>Thread-safety: not shared; called in the workload's thread only.
 */
final class ProgressLine {

    private final WorkloadSpec spec;
    private long reads;
    private long writes;
    private long nanos;

    ProgressLine(WorkloadSpec spec) {
        this.spec = spec;
    }

    /** The line for these totals; remembers them for the next rates. */
    String next(WorkloadResult soFar) {
        long now = soFar.elapsed().toNanos();
        double seconds = Math.max(1, now - nanos) / 1e9;
        double readRate = (soFar.reads() - reads) / seconds;
        double writeRate = (soFar.writes() - writes) / seconds;
        double megabytes = (readRate + writeRate) * spec.blockSize() / 1e6;
        reads = soFar.reads();
        writes = soFar.writes();
        nanos = now;
        return String.format(Locale.ROOT, "[r=%s IOPS, w=%s IOPS][%s][eta %s]", Rates.iops(readRate),
                Rates.iops(writeRate), Rates.megabytes(megabytes), Rates.eta(etaSeconds(soFar, readRate + writeRate)));
    }

    private long etaSeconds(WorkloadResult soFar, double iops) {
        long left = Long.MAX_VALUE;
        if (!spec.runtime().isZero()) {
            // Rounded up, as fio counts down: 2.1 s left shows as 3.
            long nanosLeft = spec.runtime().minus(soFar.elapsed()).toNanos();
            left = Math.max(0, (nanosLeft + 999_999_999) / 1_000_000_000);
        }
        if (spec.ioCount() > 0 && iops > 0) {
            left = Math.min(left, (long) Math.ceil((spec.ioCount() - soFar.ios()) / iops));
        }
        return left == Long.MAX_VALUE ? 0 : left;
    }
}
