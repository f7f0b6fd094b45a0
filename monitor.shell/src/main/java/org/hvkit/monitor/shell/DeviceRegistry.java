package org.hvkit.monitor.shell;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The virtio devices there are now, by id, for every {@code virtio:} command.
 *
 * <p>Thread-safety: any thread; DS updates the list concurrently, hence copy-on-write.
 */
@Component(service = DeviceRegistry.class)
public final class DeviceRegistry {

    private final List<VirtioDevice> devices = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(VirtioDevice device) {
        devices.add(device);
    }

    void removeDevice(VirtioDevice device) {
        devices.remove(device);
    }

    /** Every device, sorted by id. */
    List<VirtioDevice> all() {
        return devices.stream().sorted(Comparator.comparing(VirtioDevice::id)).collect(Collectors.toList());
    }

    /** Every device's id, sorted. */
    List<String> ids() {
        return all().stream().map(VirtioDevice::id).collect(Collectors.toList());
    }

    /**
     * The device with this id.
     *
     * @throws IllegalArgumentException naming the devices there are if there is none
     */
    VirtioDevice withId(String id) {
        for (VirtioDevice device : devices) {
            if (device.id().equals(id)) {
                return device;
            }
        }
        throw new IllegalArgumentException("no device '" + id + "'; " + choices());
    }

    /** The devices there are, as the end of a sentence: "devices: a, b" or "there are no devices". */
    String choices() {
        List<String> ids = ids();
        return ids.isEmpty() ? "there are no devices" : "devices: " + String.join(", ", ids);
    }
}
