package org.hvkit.monitor.shell;

import java.util.Formatter;
import java.util.Locale;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The summary {@code virtio:fio} prints at the end, after fio's: the job line, read and write
 * IOPS and bandwidth, completion latency percentiles, I/O counts and what verify found.
 *
 * <pre>
 * vblk0: (rw=randrw, bs=4k, iodepth=8, queues=2, verify=on, rwmixread=50, seed=1)
 *   read: IOPS=52.1k, BW=213.4 MB/s (426.8 MB in 2.000s)
 *  write: IOPS=52.0k, BW=212.9 MB/s (425.9 MB in 2.000s)
 *   lat (usec): p50=45, p99=210, p99.9=480, max=2100
 *   ios: read=104200, write=103950, total=208150
 *   verify: mismatches=0, errors=0
 * </pre>
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class FioReport {

    private FioReport() {
    }

    /** The summary of a run, lines ending with the platform's separator. */
    static String render(FioRun run) {
        WorkloadSpec spec = run.spec();
        WorkloadResult result = run.result();
        StringBuilder out = new StringBuilder();
        double seconds = result.elapsed().toNanos() / 1e9;
        try (Formatter f = new Formatter(out, Locale.ROOT)) {
            f.format("%s: %s%n", run.device(), jobLine(spec));
            direction(f, "  read", run.readIops(), run.readMegabytesPerSecond(), result.reads() * spec.blockSize(),
                    seconds);
            direction(f, " write", run.writeIops(), run.writeMegabytesPerSecond(),
                    result.writes() * spec.blockSize(), seconds);
            f.format("  lat (usec): p50=%d, p99=%d, p99.9=%d, max=%d%n", Rates.micros(result.latencyP50Nanos()),
                    Rates.micros(result.latencyP99Nanos()), Rates.micros(result.latencyP999Nanos()),
                    Rates.micros(result.latencyMaxNanos()));
            f.format("  ios: read=%d, write=%d, total=%d%n", result.reads(), result.writes(), result.ios());
            if (spec.verify()) {
                f.format("  verify: mismatches=%d, errors=%d%n", result.mismatches(), result.errors());
            } else {
                f.format("  verify: off, errors=%d%n", result.errors());
            }
        }
        return out.toString();
    }

    /** fio's job description in parentheses, with the options that shape the run. */
    static String jobLine(WorkloadSpec spec) {
        StringBuilder job = new StringBuilder(String.format(Locale.ROOT, "(rw=%s, bs=%s, iodepth=%d, queues=%d",
                spec.rw().fioName(), Capacity.human(spec.blockSize()).toLowerCase(Locale.ROOT), spec.ioDepth(),
                spec.queues()));
        if (!spec.runtime().isZero()) {
            job.append(", runtime=").append(runtime(spec));
        }
        if (spec.ioCount() > 0) {
            job.append(", number_ios=").append(spec.ioCount());
        }
        job.append(", verify=").append(spec.verify() ? "on" : "off");
        if (spec.rw() == ReadWriteMode.RANDRW) {
            job.append(", rwmixread=").append(spec.readPercent());
        }
        if (spec.rw().isRandom()) {
            job.append(", seed=").append(spec.seed());
        }
        return job.append(')').toString();
    }

    private static String runtime(WorkloadSpec spec) {
        long millis = spec.runtime().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static void direction(Formatter f, String name, double iops, double megabytesPerSecond, long bytes,
            double seconds) {
        f.format("%s: IOPS=%s, BW=%s (%.1f MB in %.3fs)%n", name, Rates.iops(iops), Rates.megabytes(megabytesPerSecond),
                bytes / 1e6, seconds);
    }
}
