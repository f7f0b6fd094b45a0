package org.hvkit.block.virtio.workload;

/**
 * Hears how a running workload is doing, about once per second.
 *
 * <p>Thread-safety: called in the workload's thread (the thread that runs it); an
 * implementation must return quickly, as no request is submitted or reaped meanwhile.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface WorkloadProgress {

    /**
     * The totals so far, measured from the start of the run.
     *
     * @param soFar counts, elapsed time and latency percentiles up to now
     */
    void progress(WorkloadResult soFar);
}
