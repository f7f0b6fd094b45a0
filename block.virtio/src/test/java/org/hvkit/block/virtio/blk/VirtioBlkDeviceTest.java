package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.backend.RamBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A device driven through its transport with real contexts, one poll step at a time. */
class VirtioBlkDeviceTest {

    private static final long CAPACITY = 1 << 20;

    private DeviceFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private DeviceFixture ram(int queues, int contexts) {
        f = new DeviceFixture(queues, contexts, new RamBackend(CAPACITY, false));
        return f;
    }

    @Test
    void shouldReadBackWhatWasWrittenAfterNegotiation() {
        ram(1, 1).initialise();
        assertThat(f.device.status() & DeviceStatus.FEATURES_OK).isNotZero();
        byte[] pattern = new byte[DeviceFixture.BLOCK];
        Arrays.fill(pattern, (byte) 0x5a);
        f.memory.write(DeviceFixture.data(0, 0), pattern, 0, pattern.length);

        f.submit(0, 0, VirtioBlkProtocol.T_OUT, 8);
        f.pollAll();
        assertThat(f.drivers[0].pollUsed()).isNotNegative();
        f.submit(0, 1, VirtioBlkProtocol.T_IN, 8);
        f.pollAll();
        assertThat(f.drivers[0].pollUsed()).isNotNegative();

        byte[] back = new byte[DeviceFixture.BLOCK];
        f.memory.read(DeviceFixture.data(0, 1), back, 0, back.length);
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.statusByte(0, 1)).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.drivers[0].lastUsedLength()).isEqualTo(DeviceFixture.BLOCK + 1);
        assertThat(back).isEqualTo(pattern);
    }

    @Test
    void shouldServeQueueIOnlyInContextIModTwo() {
        ram(4, 2).initialise();
        for (int q = 0; q < 4; q++) {
            f.submit(q, 0, VirtioBlkProtocol.T_IN, q);
        }

        f.poll(0);
        assertThat(requests()).containsExactly(1, 0, 1, 0);
        f.poll(1);
        assertThat(requests()).containsExactly(1, 1, 1, 1);
        assertThat(f.device.queue(3).context()).isSameAs(f.contexts.get(1));
    }

    private long[] requests() {
        long[] r = new long[f.device.numQueues()];
        for (int q = 0; q < r.length; q++) {
            r[q] = f.device.queue(q).stats().requests();
        }
        return r;
    }

    @Test
    void shouldRaiseOneInterruptForABurstOf32Requests() {
        f = new DeviceFixture(1, 1, new NullBackend(CAPACITY, false));
        f.initialise();
        for (int slot = 0; slot < 32; slot++) {
            f.offer(0, slot, VirtioBlkProtocol.T_IN, slot);
        }
        f.drivers[0].publish();
        f.device.notifyQueue(0);

        f.pollAll();

        BlkQueueStats stats = f.device.queue(0).stats();
        assertThat(stats.requests()).isEqualTo(32);
        assertThat(stats.interruptsSent()).isEqualTo(1);
        assertThat(f.sink.queueInterrupts.get(0)).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void shouldRaiseTheInterruptOfSynchronousCompletionsInTheKickHandlersOwnPoll() {
        ram(1, 1).initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);

        f.contexts.get(0).poll(false);

        assertThat(f.device.queue(0).stats().interruptsSent()).isEqualTo(1);
        assertThat(f.sink.queueInterrupts.get(0)).isEqualTo(1);
    }

    @Test
    void shouldRaiseTheInterruptOfAnAsynchronousCompletionFromTheBh() {
        DeferredBackend backend = new DeferredBackend(CAPACITY);
        f = new DeviceFixture(1, 1, backend);
        backend.context(f.contexts.get(0));
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.contexts.get(0).poll(false); // the kick handler: the read is still pending
        assertThat(f.sink.queueInterrupts.get(0)).isZero();

        f.pollAll(); // the completion, outside the handler, then the interrupt BH

        assertThat(f.device.queue(0).stats().interruptsSent()).isEqualTo(1);
        assertThat(f.sink.queueInterrupts.get(0)).isEqualTo(1);
    }

    @Test
    void shouldSuppressTheInterruptWhenTheDriverAsksForNone() {
        ram(1, 1).initialise();
        f.drivers[0].enableInterrupts(false);

        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.device.queue(0).stats().interruptsSuppressed()).isEqualTo(1);
        assertThat(f.sink.queueInterrupts.get(0)).isZero();
    }

    @Test
    void shouldEnterNeedsResetOnceAndStopOnlyTheBrokenQueue() {
        ram(2, 2).initialise();
        f.drivers[0].offer(DeviceFixture.QUEUE_SIZE + 7); // head index out of range
        f.drivers[0].publish();
        f.device.notifyQueue(0);
        f.pollAll();

        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(f.sink.configChanges.get()).isEqualTo(1);
        assertThat(f.device.queue(0).isFailed()).isTrue();
        assertThat(f.device.queue(1).isFailed()).isFalse();
        assertThat(f.device.queue(1).stats().requests()).isEqualTo(1);
        assertThat(f.drivers[1].pollUsed()).isZero();
    }

    @Test
    void shouldEnterNeedsResetOnAMalformedRequest() {
        ram(1, 1).initialise();
        // A header and no writable status buffer: DEVICE_ERROR in the handler.
        f.drivers[0].addChain(new long[] {DeviceFixture.header(0, 0)}, new int[] {16}, 1);
        f.drivers[0].publish();
        f.device.notifyQueue(0);
        f.pollAll();

        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(f.sink.configChanges.get()).isEqualTo(1);
        assertThat(f.device.queue(0).isRunning()).isFalse();
    }

    @Test
    void shouldServeAgainAfterResetAndReinitialisation() {
        ram(2, 1).initialise();
        f.drivers[0].offer(DeviceFixture.QUEUE_SIZE + 7);
        f.drivers[0].publish();
        f.device.notifyQueue(0);
        f.pollAll();

        f.device.status(0);
        assertThat(f.device.status()).isZero();
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.drivers[0].pollUsed()).isNotNegative();
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
    }

    @Test
    void shouldIgnoreABadQueueIndexInNotify() {
        ram(2, 1).initialise();

        assertThatCode(() -> {
            for (int bad : new int[] {-1, 2, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                f.device.notifyQueue(bad);
            }
            f.pollAll();
        }).doesNotThrowAnyException();

        assertThat(f.device.queue(0).stats().kicks()).isZero();
        assertThat(f.device.queue(1).stats().kicks()).isZero();
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
    }

    @Test
    void shouldDoNothingForKicksBeforeDriverOk() {
        ram(1, 1).negotiate();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.device.queue(0).stats().kicks()).isEqualTo(1);
        assertThat(f.device.queue(0).stats().requests()).isZero();
        assertThat(f.drivers[0].pollUsed()).isEqualTo(-1);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
    }

    @Test
    void shouldServeWhatWasAvailableBeforeDriverOkOnceItIsSet() {
        ram(1, 1).negotiate();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        f.driverOk();
        f.pollAll();

        assertThat(f.drivers[0].pollUsed()).isNotNegative();
    }

    @Test
    void shouldIgnoreTheSetUpOfABadQueueOrSize() {
        ram(2, 1).negotiate();
        f.device.setUpQueue(-1, 8, 0, 0, 0);
        f.device.setUpQueue(2, 8, 0, 0, 0);
        long base = DeviceFixture.ringBase(1);
        f.device.setUpQueue(1, 3, base, base + 0x1000, base + 0x2000); // not a power of two
        f.driverOk();
        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
        assertThat(f.device.queue(1).stats().requests()).isEqualTo(1);
    }
}
