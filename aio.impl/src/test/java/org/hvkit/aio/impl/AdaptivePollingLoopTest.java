package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adaptive polling on an IOThread: work that comes soon after the loop goes idle is caught by
 * busy-polling, and a loop with a registered channel does not busy-poll at all, since polling
 * cannot see a channel become ready. Each case wakes the loop the same way: a BH scheduled from
 * this thread every few tens of microseconds, well inside a 1 ms window.
 */
class AdaptivePollingLoopTest {

    private static final long WINDOW_NS = 1_000_000;
    private static final int WAKE_UPS = 3_000;

    private final IoThread io = new IoThread("polling", "sliced", new AdaptivePolling(WINDOW_NS, 0, 0));

    @AfterEach
    void stop() {
        io.stop(Duration.ofSeconds(5));
    }

    @Test
    void shouldCatchWorkByBusyPollingWhenItComesWithinTheWindow() {
        io.start();
        BottomHalf bh = io.context().newBottomHalf("tick", () -> { });

        long hits = 0;
        for (int i = 0; i < WAKE_UPS && hits == 0; i++) {
            scheduleAfterAPause(bh);
            if (i % 100 == 99) {
                hits = io.context().snapshot().counters().pollingHits();
            }
        }

        assertThat(io.context().snapshot().counters().pollingHits())
                .as("a BH scheduled while the loop spins is found without sleeping").isPositive();
    }

    @Test
    void shouldNotBusyPollWhileAChannelIsRegistered() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            ChannelRegistration r = io.context().registerChannel(pipe.source(), SelectionKey.OP_READ, (reg, ops) -> { });
            BottomHalf bh = io.context().newBottomHalf("tick", () -> { });
            // Started only now: a loop that ran before the registration could open its window
            // in a wait that the registration cut short, and keep it, unused, from then on.
            io.start();

            for (int i = 0; i < WAKE_UPS; i++) {
                scheduleAfterAPause(bh);
            }

            ContextSnapshot s = io.context().snapshot();
            assertThat(s.counters().pollingHits()).as("polling hits").isZero();
            assertThat(s.pollWindowNanos()).as("the window never opened").isZero();
            assertThat(s.counters().blockingWaits()).as("the loop slept instead").isPositive();
            r.close();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    /** Schedules once the loop has had the time to go idle, and waits for the BH to run. */
    private static void scheduleAfterAPause(BottomHalf bh) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
        bh.schedule();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bh.isScheduled() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
