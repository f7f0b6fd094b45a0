package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.ForwardingBackend;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded work per kick: a guest whose ring never runs dry (here every completed read puts
 * its chain back on the available ring, as device writes over the available ring could)
 * cannot keep the IOThread in one handler run. Each run takes at most
 * {@link BlkQueue#KICK_BUDGET_RINGS} rings' worth of requests, then the queue goes on in the
 * next poll, after the context's other work.
 */
class KickBudgetTest {

    private DeviceFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** A RAM backend that, after each read, lets the guest offer the same chain again. */
    private static final class RefillingBackend extends ForwardingBackend {
        Runnable refill = () -> { };

        RefillingBackend() {
            super(1 << 20);
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            ram.read(memory, iov, offset, done);
            refill.run();
        }
    }

    @Test
    @Timeout(30) // without the budget the first poll never returns
    void shouldTakeAtMostTheBudgetPerHandlerRunAndLetOtherWorkRunBetween() {
        RefillingBackend backend = new RefillingBackend();
        f = new DeviceFixture(1, 1, backend);
        f.initialise();
        f.offer(0, 0, VirtioBlkProtocol.T_IN, 0);
        int head = 0; // the first chain of a fresh ring starts at descriptor 0
        backend.refill = () -> {
            f.drivers[0].offer(head);
            f.drivers[0].publish();
        };
        f.drivers[0].publish();
        f.device.notifyQueue(0);
        int budget = BlkQueue.KICK_BUDGET_RINGS * DeviceFixture.QUEUE_SIZE;

        f.contexts.get(0).poll(false);
        long afterFirst = f.device.queue(0).stats().requests();
        AtomicInteger otherWork = new AtomicInteger();
        f.contexts.get(0).scheduleOneshot("other", otherWork::incrementAndGet);
        f.contexts.get(0).poll(false);

        assertThat(afterFirst).isEqualTo(budget);
        assertThat(otherWork.get()).isEqualTo(1);
        assertThat(f.device.queue(0).stats().requests()).isEqualTo(2L * budget);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
    }
}
