package org.hvkit.monitor.shell;

import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The {@code --json} shape of a {@code virtio:fio} run: the device, the workload as run, its
 * result, and the per-direction rates a program would otherwise compute (MB are 10^6 bytes).
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param device the device id
 * @param spec the workload
 * @param result the totals
 * @param readIops reads per second
 * @param writeIops writes per second
 * @param readMegabytesPerSecond read bandwidth
 * @param writeMegabytesPerSecond write bandwidth
 */
record FioRun(String device, WorkloadSpec spec, WorkloadResult result, double readIops, double writeIops,
        double readMegabytesPerSecond, double writeMegabytesPerSecond) {

    /** The run with its rates. */
    static FioRun of(String device, WorkloadSpec spec, WorkloadResult result) {
        double seconds = result.elapsed().toNanos() / 1e9;
        double perSecond = seconds > 0 ? 1 / seconds : 0;
        double megabytes = spec.blockSize() / 1e6;
        return new FioRun(device, spec, result, result.reads() * perSecond, result.writes() * perSecond,
                result.reads() * megabytes * perSecond, result.writes() * megabytes * perSecond);
    }
}
