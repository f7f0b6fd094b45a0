package org.hvkit.monitor.shell;

import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;

/**
 * One row of {@code virtio:devices}, and its {@code --json} shape: the device's identity, its
 * status byte with the bits named, and how many of its queues run, failed, wait for their
 * IOThread to come back (detached) or did not answer.
 * A device whose snapshot could not be taken has {@code error} set and zeros elsewhere.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param id the device id
 * @param type the virtio device type
 * @param status the status byte
 * @param statusNames the status bits by name, e.g. {@code ACK|DRIVER|FEATURES_OK|DRIVER_OK}
 * @param needsReset true if the device reports NEEDS_RESET
 * @param features the negotiated features
 * @param capacityBytes the storage size
 * @param backend the backend description
 * @param readOnly true if the device refuses writes
 * @param queues the number of queues
 * @param running queues serving requests
 * @param failed queues stopped on a guest error
 * @param detached queues whose IOThread went away, waiting for one of that name
 * @param busy queues whose context did not answer in time
 * @param error why the snapshot failed, or null
 */
record DeviceSummary(String id, String type, int status, String statusNames, boolean needsReset, long features,
        long capacityBytes, String backend, boolean readOnly, int queues, int running, int failed, int detached,
        int busy,
        String error) {

    /** The summary of a snapshot. */
    static DeviceSummary of(DeviceSnapshot s) {
        return new DeviceSummary(s.id(), s.type(), s.status(), StatusNames.of(s.status()), s.needsReset(),
                s.features(), s.capacityBytes(), s.backend(), s.readOnly(), s.queues().size(),
                count(s, QueueState.RUNNING), count(s, QueueState.FAILED), count(s, QueueState.DETACHED),
                count(s, QueueState.BUSY), null);
    }

    /** The row of a device whose snapshot failed. */
    static DeviceSummary failed(String id, String type, RuntimeException e) {
        return new DeviceSummary(id, type, 0, "-", false, 0, 0, "-", false, 0, 0, 0, 0, 0,
                e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static int count(DeviceSnapshot s, QueueState state) {
        int n = 0;
        for (QueueSnapshot q : s.queues()) {
            if (q.state() == state) {
                n++;
            }
        }
        return n;
    }
}
