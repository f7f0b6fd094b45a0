package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.monitor.shell.DevicesTableTest.queue;

import java.util.List;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.junit.jupiter.api.Test;

class QueuesViewTest {

    @Test
    void shouldShowTheStatusThenOneRowPerQueue() {
        DeviceSnapshot s = new DeviceSnapshot("vblk0", "virtio-blk", 15, 0, 1L << 28, "ram", false,
                List.of(queue(0, "iothread0", QueueState.RUNNING), queue(1, "iothread1", QueueState.RUNNING)));

        List<String> lines = QueuesView.of(s).render().lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("vblk0  virtio-blk  status ACK|DRIVER|FEATURES_OK|DRIVER_OK");
        assertThat(lines.get(1).split("\\s+")).containsExactly("Q", "CONTEXT", "STATE", "SIZE", "AVAIL", "USED",
                "LAST-AVAIL", "INFLIGHT", "KICKS", "REQUESTS", "IRQS", "SUPPRESSED");
        assertThat(lines.get(3).split("\\s+")).containsExactly("1", "iothread1", "RUNNING", "256", "1030", "1025",
                "1030", "5", "77", "1030", "40", "12");
    }

    @Test
    void shouldFlagNeedsResetOnTheDeviceAndShowTheQueueFailed() {
        DeviceSnapshot s = new DeviceSnapshot("vblk0", "virtio-blk", 15 | 64, 0, 1L << 28, "ram", false,
                List.of(queue(0, "iothread0", QueueState.FAILED)));

        List<String> lines = QueuesView.of(s).render().lines().toList();

        assertThat(lines.get(0)).isEqualTo("vblk0  virtio-blk  status ACK|DRIVER|FEATURES_OK|DRIVER_OK|NEEDS_RESET"
                + "  (the device needs a reset: virtio:reset vblk0)");
        assertThat(lines.get(2)).contains("FAILED");
    }

    @Test
    void shouldShowNoRingIndicesForABusyQueueButItsCounters() {
        DeviceSnapshot s = new DeviceSnapshot("vblk0", "virtio-blk", 15, 0, 1L << 28, "ram", false,
                List.of(queue(0, "iothread0", QueueState.BUSY)));

        assertThat(QueuesView.of(s).render().lines().skip(2).findFirst().orElseThrow().split("\\s+"))
                .containsExactly("0", "iothread0", "BUSY", "-", "-", "-", "-", "5", "77", "1030", "40", "12");
    }
}
