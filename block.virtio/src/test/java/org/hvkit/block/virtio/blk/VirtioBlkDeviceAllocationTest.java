package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.hvkit.block.virtio.backend.NullBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Steady state on the null backend through the whole device path: kick, notifier, handler,
 * completion, publish, interrupt decision, with the context polled by this thread.
 */
class VirtioBlkDeviceAllocationTest {

    private static final int BURST = 32;

    private final DeviceFixture f = new DeviceFixture(1, 1, new NullBackend(1 << 20, false));
    private final long[] addresses = {DeviceFixture.header(0, 0), DeviceFixture.data(0, 0), DeviceFixture.status(0, 0)};
    private final int[] lengths = {16, DeviceFixture.BLOCK, 1};

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shouldAllocateNothingPerRequestInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        f.initialise();
        f.memory.writeInt(DeviceFixture.header(0, 0), VirtioBlkProtocol.T_IN);
        bursts(5_000);

        long before = threads.getCurrentThreadAllocatedBytes();
        bursts(5_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(f.device.queue(0).stats().requests()).isEqualTo(10_000L * BURST);
        assertThat(allocated / (5_000.0 * BURST)).isLessThan(1.0);
    }

    private void bursts(int n) {
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < BURST; i++) {
                f.drivers[0].addChain(addresses, lengths, 1);
            }
            f.drivers[0].publish();
            f.device.notifyQueue(0);
            f.contexts.get(0).poll(false); // the kick handler, which also decides the interrupt
            while (f.drivers[0].pollUsed() >= 0) {
                // reap the burst
            }
        }
    }
}
