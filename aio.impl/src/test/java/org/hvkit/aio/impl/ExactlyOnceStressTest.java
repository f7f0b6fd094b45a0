package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.monitor.ContextCounters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many producer threads schedule a thousand BHs while the home thread polls, some callbacks
 * polling nested. Two invariants of DESIGN §2 are checked:
 * <ol>
 *   <li>No schedule is lost: a producer bumps {@code requested[i]}, schedules BH i, and then
 *       publishes the bumped value in {@code completed[i]}; the callback records the value
 *       of {@code requested[i]} it reads at its start. A schedule that returned before a poll
 *       began must run in that poll: after each top-level poll every live BH has seen at least
 *       what was completed before it. The one exception is a BH that another producer was
 *       still scheduling when the poll began: a schedule that finds the BH already PENDING
 *       returns at once, while the producer that set PENDING may not have pushed it yet
 *       (QEMU's design has the same window); that BH runs once the push lands. When
 *       everything is quiet, the last run of every BH must have seen the final requested
 *       value.</li>
 *   <li>No run after delete: once {@code delete()} returns in the home thread, the callback
 *       never runs again, and every later {@code schedule()} throws.</li>
 * </ol>
 *
 * <p>The test thread of {@link #run} is the home thread; the whole run is bounded by
 * {@link org.junit.jupiter.api.Assertions#assertTimeoutPreemptively}.
 */
class ExactlyOnceStressTest {

    private static final int PRODUCERS = 4;
    private static final int BOTTOM_HALVES = 1_000;
    private static final int SCHEDULES = 1_000_000;
    private static final int NEST_EVERY = 16;
    private static final int MAX_NESTING = 2;
    private static final Duration BOUND = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {AioContextFactory.SLICED, AioContextFactory.LINEAR})
    void shouldRunEveryBhAfterItsLastScheduleUnderContention(String scheduler) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (Loop loop = new Loop(scheduler)) {
                ContextCounters before = loop.ctx.snapshot().counters();

                long accepted = loop.produceWhilePolling(SCHEDULES, false);
                loop.pollUntilQuiet();

                loop.assertNoScheduleLost(i -> true);
                assertThat(loop.totalRuns()).as("runs").isPositive().isLessThanOrEqualTo(accepted);
                assertThat(loop.ctx.snapshot().maxSliceDepth()).as("nested polls happened").isGreaterThanOrEqualTo(2);
                ContextCounters after = loop.ctx.snapshot().counters();
                assertThat(after.bhRuns() - before.bhRuns()).as("bhRuns counter").isEqualTo(loop.totalRuns());
                assertThat(after.bhDequeued() - before.bhDequeued())
                        .as("dequeues: each run needs one, each schedule makes at most one")
                        .isBetween(loop.totalRuns(), accepted);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {AioContextFactory.SLICED, AioContextFactory.LINEAR})
    void shouldNeverRunBhAfterDeleteReturnedInHomeThread(String scheduler) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (Loop loop = new Loop(scheduler)) {
                loop.produceWhilePolling(SCHEDULES / 4, false);
                loop.pollUntilQuiet();

                loop.produceWhilePolling(SCHEDULES / 4, true); // deletes race the producers
                loop.pollUntilQuiet();
                loop.produceWhilePolling(SCHEDULES / 10, false); // restarted after every delete
                loop.pollUntilQuiet();

                assertThat(loop.runsAfterDelete).as("callbacks run after delete() returned").isZero();
                assertThat(loop.acceptedAfterDelete.get()).as("schedules accepted after delete()").isZero();
                assertThat(loop.unexpectedRejections.get()).as("schedules of live BHs rejected").isZero();
                assertThat(loop.rejected.get()).as("schedules of deleted BHs tried").isPositive();
                loop.assertNoScheduleLost(i -> !Loop.isDeletionTarget(i));
                for (int i = 0; i < BOTTOM_HALVES; i += 2) {
                    int deleted = i;
                    assertThatThrownBy(() -> loop.bhs[deleted].schedule()).isInstanceOf(IllegalStateException.class);
                }
            }
        });
    }

    /**
     * One context, its BHs and the bookkeeping. Fields without a note are touched only by
     * the home thread (the thread that created the loop and polls it).
     */
    private static final class Loop implements AutoCloseable {

        final AioContext ctx;
        final BottomHalf[] bhs = new BottomHalf[BOTTOM_HALVES];
        /** Any thread: bumped by a producer before it schedules BH i. */
        final AtomicLongArray requested = new AtomicLongArray(BOTTOM_HALVES);
        /** Any thread: the highest bumped value whose schedule() has returned. */
        final AtomicLongArray completed = new AtomicLongArray(BOTTOM_HALVES);
        /** Any thread: producers inside schedule() of BH i right now. */
        final AtomicIntegerArray inFlight = new AtomicIntegerArray(BOTTOM_HALVES);
        /** What was completed when the current top-level poll began. */
        final long[] due = new long[BOTTOM_HALVES];
        /** Whether a producer was inside schedule() of BH i when the current poll began. */
        final boolean[] busy = new boolean[BOTTOM_HALVES];
        long lostSchedules;
        String firstLoss;
        /** Any thread: 1 once delete() of BH i returned in the home thread (a release write). */
        final AtomicIntegerArray deletedFlags = new AtomicIntegerArray(BOTTOM_HALVES);
        /** Any thread: schedules of a BH whose delete had returned that did not throw. */
        final AtomicInteger acceptedAfterDelete = new AtomicInteger();
        /** Any thread: schedules that threw for a BH that is never deleted. */
        final AtomicInteger unexpectedRejections = new AtomicInteger();
        /** Any thread: schedules that threw for a deleted BH, as expected. */
        final AtomicInteger rejected = new AtomicInteger();
        /** Any thread: producers that finished the current phase. */
        final AtomicInteger finished = new AtomicInteger();
        final long[] seen = new long[BOTTOM_HALVES];
        final long[] runs = new long[BOTTOM_HALVES];
        final boolean[] deleted = new boolean[BOTTOM_HALVES];
        long runsAfterDelete;
        int nesting;
        int deleteCursor;

        Loop(String scheduler) {
            ctx = new AioContextFactoryImpl().create("stress-" + scheduler, scheduler);
            for (int i = 0; i < BOTTOM_HALVES; i++) {
                int index = i;
                bhs[i] = ctx.newBottomHalf("bh-" + i, () -> ran(index));
            }
            ctx.poll(false); // the creating thread is the home thread
        }

        static boolean isDeletionTarget(int i) {
            return i % 2 == 0;
        }

        /** Only the home thread: the callback of BH i. */
        private void ran(int i) {
            seen[i] = requested.get(i); // pairs with the producer's increment before schedule()
            runs[i]++;
            if (deleted[i]) {
                runsAfterDelete++;
            }
            if (i % 4 == 1 && deleteCursor > 0 && !deleted[i - 1]) {
                delete(i - 1); // delete a neighbour that may be waiting in this very slice
            }
            if (i % NEST_EVERY == 0 && nesting < MAX_NESTING) {
                nesting++;
                try {
                    ctx.poll(false);
                } finally {
                    nesting--;
                }
            }
        }

        private void delete(int i) {
            bhs[i].delete();
            deleted[i] = true;
            deletedFlags.set(i, 1);
        }

        /**
         * Only the home thread: runs the producers to the end while polling and, if asked,
         * deletes every even BH meanwhile, some between polls and some from callbacks.
         *
         * @return the schedules that did not throw
         */
        long produceWhilePolling(int schedules, boolean deleting) throws InterruptedException {
            finished.set(0);
            List<Producer> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                producers.add(new Producer(schedules / PRODUCERS));
            }
            List<Thread> threads = new ArrayList<>();
            for (Producer producer : producers) {
                Thread thread = new Thread(producer, "producer-" + threads.size());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            while (finished.get() < PRODUCERS) {
                pollAndCheck(); // a finishing producer wakes the loop, so this terminates
                if (deleting) {
                    deleteSomeBetweenPolls();
                }
            }
            while (deleting && deleteCursor < BOTTOM_HALVES) {
                deleteSomeBetweenPolls();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return producers.stream().mapToLong(p -> p.accepted).sum();
        }

        /**
         * Only the home thread: one blocking top-level poll, then the check that it ran every
         * live BH whose schedule had returned before it began.
         */
        private void pollAndCheck() {
            for (int i = 0; i < BOTTOM_HALVES; i++) {
                // completed first, then inFlight: a schedule counted in due[i] that found the BH
                // PENDING through a producer not yet done pushing it shows that producer here.
                due[i] = completed.get(i);
                busy[i] = inFlight.get(i) != 0;
            }
            ctx.poll(true);
            for (int i = 0; i < BOTTOM_HALVES; i++) {
                if (!deleted[i] && !busy[i] && seen[i] < due[i]) {
                    lostSchedules++;
                    if (firstLoss == null) {
                        firstLoss = "bh-" + i + " saw " + seen[i] + " after a poll that began with " + due[i] + " done";
                    }
                }
            }
        }

        private void deleteSomeBetweenPolls() {
            for (int k = 0; k < 8 && deleteCursor < BOTTOM_HALVES; k++, deleteCursor += 2) {
                if (!deleted[deleteCursor]) {
                    delete(deleteCursor);
                }
            }
        }

        /** Only the home thread: polls until two polls in a row make no progress. */
        void pollUntilQuiet() {
            int quiet = 0;
            while (quiet < 2) {
                quiet = ctx.poll(false) ? 0 : quiet + 1;
            }
            assertThat(ctx.computeTimeoutNanos()).as("timeout when quiet").isEqualTo(-1);
        }

        void assertNoScheduleLost(IntPredicate which) {
            assertThat(lostSchedules).as("schedules not run by the next poll; first: %s", firstLoss).isZero();
            for (int i = 0; i < BOTTOM_HALVES; i++) {
                if (which.test(i) && requested.get(i) > 0) {
                    assertThat(seen[i]).as("last run of bh-%d saw its final schedule", i).isEqualTo(requested.get(i));
                    assertThat(runs[i]).as("runs of bh-%d", i).isBetween(1L, requested.get(i));
                }
            }
        }

        long totalRuns() {
            long total = 0;
            for (long r : runs) {
                total += r;
            }
            return total;
        }

        @Override
        public void close() {
            ctx.close();
        }

        /** A producer thread: schedules random BHs, then wakes the loop. */
        private final class Producer implements Runnable {
            private final int quota;
            long accepted;

            Producer(int quota) {
                this.quota = quota;
            }

            @Override
            public void run() {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int k = 0; k < quota; k++) {
                        scheduleOne(random.nextInt(BOTTOM_HALVES));
                    }
                } finally {
                    finished.incrementAndGet();
                    ctx.wakeUp(); // after the increment: the home thread re-checks when it wakes
                }
            }

            private void scheduleOne(int i) {
                boolean deletedBefore = deletedFlags.get(i) == 1; // pairs with the release in delete()
                long request = requested.incrementAndGet(i);
                inFlight.incrementAndGet(i);
                try {
                    bhs[i].schedule();
                    completed.accumulateAndGet(i, request, Math::max);
                    accepted++;
                    if (deletedBefore) {
                        acceptedAfterDelete.incrementAndGet();
                    }
                } catch (IllegalStateException e) {
                    (isDeletionTarget(i) ? rejected : unexpectedRejections).incrementAndGet();
                } finally {
                    inFlight.decrementAndGet(i);
                }
            }
        }
    }
}
