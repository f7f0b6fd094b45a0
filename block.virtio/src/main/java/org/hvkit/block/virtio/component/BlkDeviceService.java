package org.hvkit.block.virtio.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The service view of one running virtio-blk device.
 *
 * <p>Thread-safety: any thread but the device's context threads (see {@link VirtioDevice}).
 */
final class BlkDeviceService implements VirtioDevice {

    static final String TYPE_NAME = "virtio-blk";

    private final DeviceSettings settings;
    private final VirtioBlkDevice device;
    private final InProcessGuest guest;

    BlkDeviceService(DeviceSettings settings, VirtioBlkDevice device) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.device = Objects.requireNonNull(device, "device");
        this.guest = new InProcessGuest(settings.id(), device, settings.queueSize());
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public String type() {
        return TYPE_NAME;
    }

    @Override
    public DeviceSnapshot snapshot(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<QueueSnapshot> queues = new ArrayList<>(device.numQueues());
        for (int i = 0; i < device.numQueues(); i++) {
            queues.add(device.queue(i).snapshot(timeout));
        }
        return new DeviceSnapshot(settings.id(), TYPE_NAME, device.status(), device.negotiatedFeatures(),
                settings.capacity(), Backends.describe(settings), settings.readOnly(), queues);
    }

    @Override
    public void reset() {
        device.status(0);
    }

    @Override
    public WorkloadResult runWorkload(WorkloadSpec spec, WorkloadProgress progress) {
        if (settings.transport() == TransportKind.VHOST_USER) {
            throw new IllegalStateException("virtio-blk '" + settings.id() + "' is exported over vhost-user on "
                    + settings.socket() + "; its guest is the front-end's, not the in-process driver's");
        }
        return guest.run(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(progress, "progress"));
    }

    /** The device itself, for its host. */
    VirtioBlkDevice device() {
        return device;
    }
}
