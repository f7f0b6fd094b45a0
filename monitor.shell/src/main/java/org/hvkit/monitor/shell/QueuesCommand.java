package org.hvkit.monitor.shell;

import java.util.Arrays;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code virtio:queues <dev>}: each queue of a device with its context, state, ring indices
 * and counters.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; each queue's part of
 * the snapshot is taken in its context's thread with a bounded wait.
 */
@Component(service = QueuesCommand.class)
@GogoCommand(scope = "virtio", function = "queues")
public final class QueuesCommand {

    private static final String NAME = "virtio:queues: ";
    private static final Set<String> FLAGS = Set.of("-j", "--json");

    @Reference
    private DeviceRegistry devices;

    /**
     * Shows the queues of a device.
     *
     * @param json true for JSON
     * @param device the device id
     * @return the status line and the table, the JSON, or one line saying what is wrong
     */
    @Descriptor("show each queue of a device: context, state (FAILED while the device needs a reset),"
            + " size, avail/used/last-avail ring indices, requests in flight, kicks, requests,"
            + " interrupts sent and suppressed")
    public String queues(
            @Descriptor("print JSON instead of a table")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the device id, as virtio:devices lists it") String device) {
        try {
            QueuesView view = QueuesView.of(devices.withId(device).snapshot(DevicesCommand.SNAPSHOT_TIMEOUT));
            return json ? Json.render(view) : view.render();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return NAME + e.getMessage() + System.lineSeparator();
        }
    }

    /**
     * Any other arguments: Gogo calls this when they do not fit {@link #queues(boolean, String)}.
     *
     * @param arguments the words as typed
     * @return what the other form returns, or one line saying what is wrong
     */
    @Descriptor("(other arguments: says what is wrong with them)")
    public String queues(@Descriptor("the arguments as typed") Object... arguments) {
        try {
            CommandLine line = CommandLine.parse(Arrays.asList(arguments), FLAGS, Set.of());
            String device = line.single("device", devices.choices());
            return queues(line.flag("-j", "--json"), device);
        } catch (IllegalArgumentException e) {
            return NAME + e.getMessage() + System.lineSeparator();
        }
    }
}
