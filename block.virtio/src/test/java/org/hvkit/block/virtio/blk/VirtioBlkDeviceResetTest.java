package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reset while a request waits in an asynchronous backend: the reset waits for it. */
class VirtioBlkDeviceResetTest {

    private final DeferredBackend backend = new DeferredBackend(1 << 20);
    private final DeviceFixture f = new DeviceFixture(1, 1, backend);

    @AfterEach
    void close() {
        backend.hold = false;
        f.close();
    }

    @Test
    void shouldCompleteAndPublishAnInFlightRequestBeforeResetReturns() {
        backend.context(f.contexts.get(0));
        f.initialise();
        backend.hold = true;
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();
        assertThat(f.device.queue(0).stats().inFlight()).isEqualTo(1);

        backend.hold = false;
        f.device.status(0);

        assertThat(f.drivers[0].pollUsed()).isNotNegative();
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.device.queue(0).stats().inFlight()).isZero();
    }
}
