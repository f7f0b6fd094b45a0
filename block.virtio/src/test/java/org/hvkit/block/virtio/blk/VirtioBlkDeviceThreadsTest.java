package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.aio.AioContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device with each context polled by a thread of its own, as IOThreads do; the test
 * thread is the driver (kicks, status writes) and never polls.
 */
class VirtioBlkDeviceThreadsTest {

    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final ThreadRecordingBackend backend = new ThreadRecordingBackend(1 << 20);
    private final DeviceFixture f = new DeviceFixture(4, 2, backend);
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean stop;

    @BeforeEach
    void startLoops() {
        for (AioContext c : f.contexts) {
            Thread t = new Thread(() -> {
                while (!stop) {
                    c.poll(true);
                }
            }, "loop-" + c.name());
            t.start();
            loops.add(t);
        }
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        f.device.close(); // while the loops still poll: the reset waits for them
        stop = true;
        for (int i = 0; i < loops.size(); i++) {
            f.contexts.get(i).wakeUp();
            loops.get(i).join(TIMEOUT_NANOS / 1_000_000);
        }
        f.close();
    }

    @Test
    void shouldRunEachQueuesRequestsInItsContextsThread() {
        f.initialise();
        for (int q = 0; q < 4; q++) {
            f.submit(q, 0, VirtioBlkProtocol.T_IN, q);
        }

        for (int q = 0; q < 4; q++) {
            awaitUsed(q);
        }

        for (int q = 0; q < 4; q++) {
            assertThat(backend.readers.get((long) q)).isSameAs(loops.get(q % 2));
        }
    }

    @Test
    void shouldResetFromTheDriverThreadWhileLoopsRun() {
        f.initialise();
        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        awaitUsed(1);

        f.device.status(0);

        assertThat(f.device.status()).isZero();
        assertThat(f.device.queue(1).isRunning()).isFalse();
        assertThat(f.device.queue(1).stats().inFlight()).isZero();
    }

    private void awaitUsed(int q) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (f.drivers[q].pollUsed() < 0) {
            assertThat(System.nanoTime()).as("queue %d answered in time", q).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
