package org.hvkit.monitor.shell;

import java.util.List;

/**
 * Formats {@code virtio:devices} for people: one aligned row per device; a device whose
 * snapshot failed shows the reason in its status column and the rest show as {@code -}.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class DevicesTable {

    private DevicesTable() {
    }

    /** The table, or one line saying there are no devices. */
    static String render(List<DeviceSummary> devices) {
        if (devices.isEmpty()) {
            return String.format("no virtio devices%n");
        }
        Table table = new Table().left("ID").left("TYPE").left("STATUS").right("CAPACITY").left("BACKEND")
                .left("RO").right("QUEUES").right("RUNNING").right("FAILED").right("DETACHED").right("BUSY");
        for (DeviceSummary d : devices) {
            if (d.error() != null) {
                table.row(d.id(), d.type(), "(" + d.error() + ")", null, null, null, null, null, null, null, null);
            } else {
                table.row(d.id(), d.type(), d.statusNames(), Capacity.human(d.capacityBytes()), d.backend(),
                        d.readOnly() ? "yes" : "no", d.queues(), d.running(), d.failed(), d.detached(), d.busy());
            }
        }
        return table.render();
    }
}
