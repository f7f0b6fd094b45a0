package org.hvkit.monitor.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code virtio:devices}: every virtio device with its status, capacity, backend and how its
 * queues stand.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; each device's
 * snapshot is taken in its queues' context threads with a bounded wait.
 */
@Component(service = DevicesCommand.class)
@GogoCommand(scope = "virtio", function = "devices")
public final class DevicesCommand {

    /** The longest wait for one context; a context that does not answer shows its queues as busy. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(1);

    @Reference
    private DeviceRegistry devices;

    /**
     * Lists the devices.
     *
     * @param json true for JSON
     * @return the table, or the JSON list
     */
    @Descriptor("list every virtio device: type, status bits, capacity, backend, read-only,"
            + " queues and how many of them run, failed (NEEDS_RESET) or are busy")
    public String devices(
            @Descriptor("print JSON instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        List<DeviceSummary> rows = new ArrayList<>();
        for (VirtioDevice device : devices.all()) {
            try {
                rows.add(DeviceSummary.of(device.snapshot(SNAPSHOT_TIMEOUT)));
            } catch (RuntimeException e) {
                // One device going away or failing must not hide the others.
                rows.add(DeviceSummary.failed(device.id(), device.type(), e));
            }
        }
        return json ? Json.render(rows) : DevicesTable.render(rows);
    }

    /**
     * Any other arguments: Gogo calls this when they do not fit {@link #devices(boolean)}.
     *
     * @param arguments the words as typed
     * @return what the other form returns, or one line saying what is wrong
     */
    @Descriptor("(other arguments: says what is wrong with them)")
    public String devices(@Descriptor("the arguments as typed") Object... arguments) {
        try {
            CommandLine line = CommandLine.parse(Arrays.asList(arguments), Set.of("-j", "--json"), Set.of());
            if (!line.positionals().isEmpty()) {
                throw new IllegalArgumentException("takes no arguments but --json, not "
                        + String.join(" ", line.positionals()));
            }
            return devices(line.flag("-j", "--json"));
        } catch (IllegalArgumentException e) {
            return "virtio:devices: " + e.getMessage() + System.lineSeparator();
        }
    }
}
