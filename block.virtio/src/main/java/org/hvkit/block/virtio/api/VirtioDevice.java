package org.hvkit.block.virtio.api;

import java.time.Duration;
import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running virtio device, registered as a service with the properties {@link #ID} and
 * {@link #TYPE} while it exists.
 *
 * <p>Thread-safety: every method may be called from any thread except a context thread of
 * the device itself (they wait for those threads).
 */
@ProviderType
public interface VirtioDevice {

    /** Service property: the device's id, unique among devices. */
    String ID = "virtio.device.id";

    /** Service property: the virtio device type, e.g. {@code virtio-blk}. */
    String TYPE = "virtio.device.type";

    /** The device's id. Thread-safety: any thread. */
    String id();

    /** The virtio device type. Thread-safety: any thread. */
    String type();

    /**
     * Takes a snapshot; each queue's part is taken in its context's thread. A context that
     * does not answer in time gives a {@link QueueState#BUSY} queue, not a wait.
     *
     * <p>Thread-safety: any thread but the device's context threads; waits at most about
     * {@code timeout} per context.
     *
     * @param timeout the longest wait for each context
     * @return the snapshot
     */
    DeviceSnapshot snapshot(Duration timeout);

    /**
     * Resets the device as the driver's status write of 0 does: every queue stops, requests
     * in flight complete and are published, the status becomes 0. The guest must initialise
     * the device again before it serves; a driver that is using it sees the reset as a
     * device that no longer answers.
     *
     * <p>Thread-safety: any thread but the device's context threads; waits for each
     * context (bounded).
     *
     * @throws org.hvkit.aio.ContextBusyException if a context does not answer in time
     */
    void reset();

    /**
     * Runs an fio-like workload as the device's guest: the in-process driver model
     * initialises the device with RAM of its own, runs the workload from the calling thread,
     * then resets the device. One workload at a time; a guest of another transport (a
     * vhost-user front-end) cannot share the device, so those devices refuse.
     *
     * <p>Thread-safety: any thread but the device's context threads; blocks for the
     * workload's runtime (and a bounded drain).
     *
     * @param spec what to run
     * @param progress called about once per second in the calling thread
     * @return the totals of the run
     * @throws IllegalArgumentException if the workload does not fit the device
     * @throws IllegalStateException if the device is busy with another workload or guest
     */
    WorkloadResult runWorkload(WorkloadSpec spec, WorkloadProgress progress);
}
