package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.junit.jupiter.api.Test;

class DevicesTableTest {

    static QueueSnapshot queue(int index, String context, QueueState state) {
        return new QueueSnapshot(index, context, state, 256, 1030, 1025, 1030, 5, 77, 1030, 40, 12);
    }

    @Test
    void shouldSayInOneLineThatThereAreNoDevices() {
        assertThat(DevicesTable.render(List.of())).isEqualTo("no virtio devices" + System.lineSeparator());
    }

    @Test
    void shouldShowStatusBitsHumanCapacityAndQueueCounts() {
        DeviceSnapshot snapshot = new DeviceSnapshot("vblk0", "virtio-blk", 15 | 64, 1L << 32, 256L << 20, "ram",
                false, List.of(queue(0, "iothread0", QueueState.RUNNING), queue(1, "iothread0", QueueState.FAILED),
                        queue(2, "iothread0", QueueState.BUSY), queue(3, "iothread0", QueueState.RUNNING),
                        queue(4, "iothread1", QueueState.DETACHED)));

        List<String> lines = DevicesTable.render(List.of(DeviceSummary.of(snapshot))).lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).split("\\s+")).containsExactly("ID", "TYPE", "STATUS", "CAPACITY", "BACKEND", "RO",
                "QUEUES", "RUNNING", "FAILED", "DETACHED", "BUSY");
        assertThat(lines.get(1).split("\\s+")).containsExactly("vblk0", "virtio-blk",
                "ACK|DRIVER|FEATURES_OK|DRIVER_OK|NEEDS_RESET", "256M", "ram", "no", "5", "2", "1", "1", "1");
    }

    @Test
    void shouldShowADeviceWhoseSnapshotFailedInItsRowAndKeepTheOthers() {
        DeviceSnapshot ok = new DeviceSnapshot("vblk0", "virtio-blk", 0, 0, 64L << 20, "file /srv/a.img", true,
                List.of(queue(0, "main", QueueState.STOPPED)));

        List<String> lines = DevicesTable.render(List.of(DeviceSummary.of(ok),
                DeviceSummary.failed("vblk1", "virtio-blk", new IllegalStateException("closed")))).lines().toList();

        assertThat(lines.get(1)).startsWith("vblk0").contains(" 0 ", "64M", "file /srv/a.img", "yes");
        assertThat(lines.get(2)).startsWith("vblk1").contains("(IllegalStateException: closed)").endsWith("-");
    }
}
