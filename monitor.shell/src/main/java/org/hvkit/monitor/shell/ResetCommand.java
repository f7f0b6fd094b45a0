package org.hvkit.monitor.shell;

import java.util.Arrays;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code virtio:reset <dev>}: resets a device as a driver's status write of 0 does, e.g. to
 * bring it out of NEEDS_RESET.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; the reset waits for
 * each of the device's contexts (bounded).
 */
@Component(service = ResetCommand.class)
@GogoCommand(scope = "virtio", function = "reset")
public final class ResetCommand {

    private static final String NAME = "virtio:reset: ";

    @Reference
    private DeviceRegistry devices;

    /**
     * Resets a device.
     *
     * @param device the device id
     * @return one line: the status before and after, or what went wrong
     */
    @Descriptor("reset a device: every queue stops, requests in flight complete, the status becomes 0"
            + " (clears NEEDS_RESET; a guest must initialise the device again)")
    public String reset(@Descriptor("the device id, as virtio:devices lists it") String device) {
        try {
            VirtioDevice target = devices.withId(device);
            String before = StatusNames.of(target.snapshot(DevicesCommand.SNAPSHOT_TIMEOUT).status());
            target.reset();
            String after = StatusNames.of(target.snapshot(DevicesCommand.SNAPSHOT_TIMEOUT).status());
            return String.format("%s: reset, status %s -> %s%n", device, before, after);
        } catch (IllegalArgumentException | IllegalStateException | ContextBusyException e) {
            return NAME + e.getMessage() + System.lineSeparator();
        }
    }

    /**
     * Any other arguments: Gogo calls this when they do not fit {@link #reset(String)}.
     *
     * @param arguments the words as typed
     * @return what the other form returns, or one line saying what is wrong
     */
    @Descriptor("(other arguments: says what is wrong with them)")
    public String reset(@Descriptor("the arguments as typed") Object... arguments) {
        try {
            CommandLine line = CommandLine.parse(Arrays.asList(arguments), Set.of(), Set.of());
            return reset(line.single("device", devices.choices()));
        } catch (IllegalArgumentException e) {
            return NAME + e.getMessage() + System.lineSeparator();
        }
    }
}
