package org.hvkit.monitor.shell;

import java.util.List;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;

/**
 * What {@code virtio:queues} shows, and its {@code --json} shape: the device's status with
 * its bits named (NEEDS_RESET is a device flag; the queue that hit the guest error shows
 * FAILED), then one row per queue.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param id the device id
 * @param type the virtio device type
 * @param status the status byte
 * @param statusNames the status bits by name
 * @param needsReset true if the device reports NEEDS_RESET
 * @param queues every queue, in index order
 */
record QueuesView(String id, String type, int status, String statusNames, boolean needsReset,
        List<QueueSnapshot> queues) {

    /** The view of a snapshot. */
    static QueuesView of(DeviceSnapshot s) {
        return new QueuesView(s.id(), s.type(), s.status(), StatusNames.of(s.status()), s.needsReset(), s.queues());
    }

    /** The status line and the aligned queue table. */
    String render() {
        StringBuilder out = new StringBuilder(String.format("%s  %s  status %s%s%n", id, type, statusNames,
                needsReset ? "  (the device needs a reset: virtio:reset " + id + ")" : ""));
        Table table = new Table().right("Q").left("CONTEXT").left("STATE").right("SIZE").right("AVAIL")
                .right("USED").right("LAST-AVAIL").right("INFLIGHT").right("KICKS").right("REQUESTS")
                .right("IRQS").right("SUPPRESSED");
        for (QueueSnapshot q : queues) {
            // A busy queue's ring indices are not current: show none rather than stale ones.
            boolean indices = q.state() != QueueState.BUSY;
            table.row(q.index(), q.context(), q.state(), indices ? q.size() : null,
                    indices ? q.availIdx() : null, indices ? q.usedIdx() : null,
                    indices ? q.lastAvailIdx() : null, q.inFlight(), q.kicks(), q.requests(), q.interrupts(),
                    q.interruptsSuppressed());
        }
        return out.append(table.render()).toString();
    }
}
