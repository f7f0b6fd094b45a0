package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.hvkit.block.virtio.blk.BlkQueue.Attachment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hot-swap state machine of a queue (DESIGN §6), ATTACHED → DRAINING → DETACHED →
 * ATTACHED, on real contexts with the linear scheduler (it counts the BHs alive). The test
 * thread polls every context, so it is their home thread; detaches run in a thread of their
 * own, as the context service's unbind does, while the test thread keeps polling.
 */
class BlkQueueSwapTest {

    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final long TIMEOUT_NANOS = 5_000_000_000L;
    private static final String IRQ_BH = "virtio-blk vq0 irq";

    private final ParkingBackend backend = new ParkingBackend(1 << 20);
    private final DeviceFixture f = new DeviceFixture(2, 2, backend, DeviceFixture.FEATURES, "linear");
    private final BlkQueue q0 = f.device.queue(0);
    private final List<AioContext> successors = new ArrayList<>();
    private final AtomicInteger detached = new AtomicInteger(-1);
    private final AtomicReference<Throwable> detachFailure = new AtomicReference<>();

    @BeforeEach
    void becomeHomeThread() {
        f.pollAll(); // the test thread is every context's home thread from now on
    }

    @AfterEach
    void closeAll() {
        f.close();
        for (AioContext c : successors) {
            c.close();
        }
    }

    @Test
    void shouldCompleteRequestsInFlightInTheOldContextAndReleaseTheBindingWhenDetached() {
        f.initialise();
        backend.park = true;
        for (int slot = 0; slot < 3; slot++) {
            f.submit(0, slot, VirtioBlkProtocol.T_IN, slot);
        }
        f.poll(0);
        assertThat(backend.parked()).isEqualTo(3);
        long bhsBefore = f.contexts.get(0).snapshot().createdBottomHalves();

        Thread detach = detachInBackground("test0", DRAIN);
        pollUntil(0, () -> q0.attachment() == Attachment.DRAINING);
        f.submit(0, 3, VirtioBlkProtocol.T_IN, 3); // comes while draining: stays in the ring
        f.poll(0);
        assertThat(backend.parked()).isEqualTo(3);
        backend.release();
        pollUntil(0, () -> !detach.isAlive());
        f.poll(0); // the context forgets the deleted BH

        assertThat(detachFailure.get()).isNull();
        assertThat(detached.get()).isEqualTo(1);
        assertThat(q0.attachment()).isEqualTo(Attachment.DETACHED);
        assertThat(reap(0)).hasSize(3).doesNotHaveDuplicates();
        assertThat(f.statusByte(0, 3)).isEqualTo(0xff);
        assertThat(q0.stats().requests()).isEqualTo(3);
        assertThat(f.sink.queueInterrupts.get(0)).isEqualTo(1);
        ContextSnapshot old = f.contexts.get(0).snapshot();
        assertThat(old.pendingBottomHalves()).extracting(PendingBottomHalf::name).doesNotContain(IRQ_BH);
        assertThat(old.createdBottomHalves()).isEqualTo(bhsBefore - 1);
    }

    @Test
    void shouldServeKicksThatCameWhileDetachedFromTheLastAvailIndexOnceAttached() {
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.submit(0, 1, VirtioBlkProtocol.T_IN, 1);
        f.poll(0);
        assertThat(reap(0)).hasSize(2);
        detachWhilePolling("test0", DRAIN);
        long kicksBefore = q0.stats().kicks();

        for (int slot = 2; slot < 5; slot++) {
            f.submit(0, slot, VirtioBlkProtocol.T_OUT, slot);
        }
        f.poll(0);
        assertThat(q0.stats().kicks()).isEqualTo(kicksBefore + 3);
        assertThat(reap(0)).isEmpty();
        AioContext next = successor("test0");
        assertThat(f.device.attachContext("test0", next)).isEqualTo(1);
        poll(next);

        assertThat(q0.attachment()).isEqualTo(Attachment.ATTACHED);
        assertThat(q0.context()).isSameAs(next);
        assertThat(reap(0)).hasSize(3).doesNotHaveDuplicates();
        for (int slot = 2; slot < 5; slot++) {
            assertThat(f.statusByte(0, slot)).as("slot %d", slot).isEqualTo(VirtioBlkProtocol.S_OK);
        }
        assertThat(q0.stats().requests()).isEqualTo(5);
        QueueSnapshot after = q0.snapshot(DRAIN);
        assertThat(after.state()).isEqualTo(QueueState.RUNNING);
        assertThat(after.context()).isEqualTo("test0");
        assertThat(after.lastAvailIdx()).isEqualTo(5);
        assertThat(after.usedIdx()).isEqualTo(5);
    }

    @Test
    void shouldShowADetachedQueueAndKeepItsRequestsInTheRingWhileNoContextServesIt() {
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.poll(0);
        assertThat(reap(0)).hasSize(1);
        detachWhilePolling("test0", DRAIN);

        f.submit(0, 1, VirtioBlkProtocol.T_IN, 1);
        f.submit(0, 2, VirtioBlkProtocol.T_IN, 2);
        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        QueueSnapshot snapshot = q0.snapshot(DRAIN);
        assertThat(snapshot.state()).isEqualTo(QueueState.DETACHED);
        assertThat(snapshot.context()).isEqualTo("test0");
        assertThat(snapshot.size()).isEqualTo(DeviceFixture.QUEUE_SIZE);
        assertThat(snapshot.lastAvailIdx()).isEqualTo(1);
        assertThat(snapshot.usedIdx()).isEqualTo(1);
        assertThat(snapshot.kicks()).isEqualTo(3);
        assertThat(reap(0)).isEmpty();
        assertThat(f.memory.readShort(f.drivers[0].layout().availIdx()) & 0xffff).isEqualTo(3);
        assertThat(reap(1)).hasSize(1);
        assertThat(f.device.queue(1).attachment()).isEqualTo(Attachment.ATTACHED);
    }

    @Test
    void shouldStayFailedAcrossASwapUntilTheDriverResets() {
        f.initialise();
        backend.park = false;
        f.drivers[0].addChain(new long[] {DeviceFixture.header(0, 0)}, new int[] {16}, 1); // no status buffer
        f.drivers[0].publish();
        f.device.notifyQueue(0);
        f.poll(0);
        assertThat(q0.isFailed()).isTrue();

        detachWhilePolling("test0", DRAIN);
        AioContext next = successor("test0");
        f.device.attachContext("test0", next);
        f.submit(0, 1, VirtioBlkProtocol.T_IN, 1);
        poll(next);

        assertThat(q0.isFailed()).isTrue();
        assertThat(q0.snapshot(DRAIN).state()).isEqualTo(QueueState.FAILED);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(reap(0)).isEmpty();
        f.device.status(0);
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        poll(next);
        assertThat(reap(0)).hasSize(1);
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.sink.configChanges.get()).isEqualTo(1);
    }

    @Test
    void shouldResetWhileDetachedWithoutWaitingForTheGoneContext() {
        f.initialise();
        detachWhilePolling("test0", DRAIN);
        f.contexts.get(0).close(); // gone: a reset that asked it would fail

        f.device.status(0);

        assertThat(f.device.status()).isZero();
        assertThat(q0.isRunning()).isFalse();
        assertThat(q0.snapshot(DRAIN).state()).isEqualTo(QueueState.DETACHED);
        AioContext next = successor("test0");
        f.device.attachContext("test0", next);
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        poll(next);
        assertThat(reap(0)).hasSize(1);
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldStartAQueueThatWasDetachedBeforeDriverOkWhenItIsAttached() {
        detachWhilePolling("test0", DRAIN);
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.poll(0);
        assertThat(reap(0)).isEmpty();

        AioContext next = successor("test0");
        f.device.attachContext("test0", next);
        poll(next);

        assertThat(reap(0)).hasSize(1);
        assertThat(f.statusByte(0, 0)).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldFailTheQueueWithoutThrowingWhenItsRequestsDoNotCompleteInTime() {
        f.initialise();
        backend.park = true;
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.submit(0, 1, VirtioBlkProtocol.T_IN, 1);
        f.poll(0);
        assertThat(backend.parked()).isEqualTo(2);

        detachWhilePolling("test0", Duration.ofMillis(100));

        assertThat(detachFailure.get()).isNull();
        assertThat(q0.attachment()).isEqualTo(Attachment.DETACHED);
        assertThat(q0.isFailed()).isTrue();
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isNotZero();
        assertThat(f.sink.configChanges.get()).isEqualTo(1);
        backend.release(); // late completions of given-up requests: nothing reaches the ring
        assertThat(reap(0)).isEmpty();
        assertThat(f.statusByte(0, 0)).isEqualTo(0xff);
        assertThat(f.sink.queueInterrupts.get(0)).isZero();
        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        f.poll(1);
        assertThat(reap(1)).hasSize(1);
    }

    @Test
    void shouldDetachANeverStartedQueueWithoutFailingItWhenItsContextDoesNotAnswer() throws InterruptedException {
        Thread detach = detachInBackground("test0", Duration.ofMillis(50)); // nobody polls test0
        detach.join(TIMEOUT_NANOS / 1_000_000);

        assertThat(detach.isAlive()).isFalse();
        assertThat(detachFailure.get()).isNull();
        assertThat(q0.attachment()).isEqualTo(Attachment.DETACHED);
        assertThat(q0.isFailed()).isFalse();
        assertThat(f.sink.configChanges.get()).isZero();
    }

    @Test
    void shouldRefuseToDetachAQueueThatIsNotAttachedOrFromItsHomeThread() {
        BlkQueue q1 = f.device.queue(1);

        assertThat(catchThrowable(() -> q1.detach(DRAIN)))
                .isInstanceOf(IllegalStateException.class);
        detachWhilePolling("test0", DRAIN);
        assertThat(catchThrowable(() -> q0.detach(DRAIN)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(catchThrowable(() -> q1.attach(successor("test1"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(f.device.detachContext("test0", DRAIN)).isZero();
    }

    @Test
    void shouldWaitOnItsKickSourceInWhicheverContextServesItAndStopWhenTheSourceIsRemoved() throws IOException {
        f.initialise();
        try (PipeKickSource kicks = new PipeKickSource()) {
            f.device.kickSource(0, kicks);
            f.poll(0); // the kick handler registers the channel
            long kicksBefore = q0.stats().kicks();

            offerAndPublish(0, VirtioBlkProtocol.T_IN);
            kicks.kick();
            f.poll(0);
            assertThat(reap(0)).as("served on a kick through the channel alone").hasSize(1);
            assertThat(kicks.pending()).as("the handler cleared the channel").isZero();
            assertThat(q0.stats().kicks()).isEqualTo(kicksBefore + 1);

            detachWhilePolling("test0", DRAIN);
            offerAndPublish(1, VirtioBlkProtocol.T_OUT);
            offerAndPublish(2, VirtioBlkProtocol.T_OUT);
            kicks.kick();
            f.poll(0);
            assertThat(reap(0)).as("the old context no longer waits on the channel").isEmpty();
            assertThat(kicks.pending()).as("the kick waits in the channel").isOne();

            AioContext next = successor("test0");
            assertThat(f.device.attachContext("test0", next)).isEqualTo(1);
            poll(next);
            assertThat(reap(0)).hasSize(2).doesNotHaveDuplicates();

            offerAndPublish(3, VirtioBlkProtocol.T_IN);
            kicks.kick();
            poll(next);
            assertThat(reap(0)).as("the new context waits on the channel").hasSize(1);
            assertThat(kicks.pending()).isZero();

            f.device.kickSource(0, null);
            poll(next);
            offerAndPublish(4, VirtioBlkProtocol.T_IN);
            kicks.kick();
            poll(next);
            assertThat(reap(0)).as("a removed source is no longer waited on").isEmpty();
            f.device.notifyQueue(0);
            poll(next);
            assertThat(reap(0)).as("kicks through the device still work").hasSize(1);
            assertThat(q0.stats().requests()).isEqualTo(5);
        }
    }

    /** A kick source over a JDK pipe: a kick writes a byte, clear() reads what is there. */
    private static final class PipeKickSource implements KickSource, AutoCloseable {
        private final Pipe pipe;
        private final ByteBuffer buffer = ByteBuffer.allocate(64);

        PipeKickSource() throws IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        }

        void kick() throws IOException {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }

        /** Unread kicks; reads them, and writes them back. */
        int pending() throws IOException {
            buffer.clear();
            int n = Math.max(0, pipe.source().read(buffer));
            for (int i = 0; i < n; i++) {
                kick();
            }
            return n;
        }

        @Override
        public SelectableChannel channel() {
            return pipe.source();
        }

        @Override
        public void clear() {
            try {
                do {
                    buffer.clear();
                } while (pipe.source().read(buffer) > 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    private void offerAndPublish(int slot, int type) {
        f.offer(0, slot, type, slot);
        f.drivers[0].publish();
    }

    private Thread detachInBackground(String name, Duration timeout) {
        Thread t = new Thread(() -> {
            try {
                detached.set(f.device.detachContext(name, timeout));
            } catch (RuntimeException | Error e) {
                detachFailure.set(e);
            }
        }, "detach " + name);
        t.start();
        return t;
    }

    /** Detaches in another thread while the test thread keeps polling the context. */
    private void detachWhilePolling(String name, Duration timeout) {
        Thread t = detachInBackground(name, timeout);
        pollUntil(Integer.parseInt(name.substring("test".length())), () -> !t.isAlive());
        assertThat(detachFailure.get()).isNull();
    }

    private void pollUntil(int context, BooleanSupplier done) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("done in time").isLessThan(deadline);
            f.contexts.get(context).poll(false);
            Thread.onSpinWait();
        }
    }

    private AioContext successor(String name) {
        AioContext c = DeviceFixture.FACTORY.create(name, "linear");
        successors.add(c);
        return c;
    }

    private static void poll(AioContext c) {
        for (int i = 0; i < 100 && c.poll(false); i++) {
            // handler, then the interrupt BH
        }
    }

    private List<Integer> reap(int q) {
        List<Integer> heads = new ArrayList<>();
        for (int h; (h = f.drivers[q].pollUsed()) >= 0; ) {
            heads.add(h);
        }
        return heads;
    }
}
