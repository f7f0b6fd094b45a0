package org.hvkit.block.virtio.api;

import java.util.List;

/**
 * A device at one moment.
 *
 * @param id the device's configured id
 * @param type the virtio device type, e.g. {@code virtio-blk}
 * @param status the device status byte (virtio 1.2 §2.1)
 * @param features the features negotiated with the driver, 0 before FEATURES_OK
 * @param capacityBytes the size of the storage
 * @param backend a description of the backend, e.g. {@code ram} or {@code file /srv/disk.img}
 * @param readOnly true if the device refuses writes
 * @param queues every queue, in index order
 */
public record DeviceSnapshot(String id, String type, int status, long features, long capacityBytes, String backend,
        boolean readOnly, List<QueueSnapshot> queues) {

    /** Copies the queue list. */
    public DeviceSnapshot {
        queues = List.copyOf(queues);
    }

    /** True if the device reports NEEDS_RESET (status bit 64). */
    public boolean needsReset() {
        return (status & 64) != 0;
    }
}
