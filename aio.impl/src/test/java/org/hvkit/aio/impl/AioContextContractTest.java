package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.EventNotifier;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.VirtualClock;
import org.hvkit.aio.impl.Probes.BhLoop;
import org.hvkit.aio.impl.Probes.Done;
import org.hvkit.aio.impl.Probes.NotifierProbe;
import org.hvkit.aio.impl.Probes.PipeProbe;
import org.hvkit.aio.impl.Probes.RunLog;
import org.hvkit.aio.impl.Probes.Runs;
import org.hvkit.aio.impl.Probes.TimerLoop;
import org.hvkit.aio.monitor.BhFlag;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link AioContext} contract of DESIGN §2, one body of tests run against every BH
 * scheduler by a subclass per scheduler. It covers the BH, event-notifier and timer cases
 * of QEMU's {@code tests/unit/test-aio.c} (named in the comments) and the rest of §2.
 *
 * <p>Each test steps the loop one {@code poll} at a time and checks a counter after each
 * step. The test thread is the context's home thread ({@link HomeThread}); every wait is
 * bounded by the home-thread timeout or a five-second {@link #await}.
 */
@HomeThread
abstract class AioContextContractTest {

    static final long MS = 1_000_000L;

    protected AioContext ctx;
    private ExecutorService others;

    /** The scheduler under test, as given to the factory. */
    protected abstract String scheduler();

    /** Where a BH scheduled since the last poll waits: the incoming list, or the linear list. */
    protected abstract BhQueue queueBeforePoll();

    /** Where a BH that a running poll has taken but not yet run waits. */
    protected abstract BhQueue queueInRunningPoll();

    /** The slice number the monitor shows for a BH waiting in the outermost poll's slice. */
    protected abstract int outermostSliceNumber();

    @BeforeEach
    void createContextOwnedByTheTestThread() {
        ctx = new AioContextFactoryImpl().create("contract-" + scheduler(), scheduler());
        ctx.poll(false); // the first poll makes this thread the home thread
        others = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "other-" + scheduler());
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterEach
    void closeContext() {
        ctx.close();
        others.shutdownNow();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs a task on another thread. The returned future is complete before the task's
     * thread wakes the loop, so a {@link #pollUntil} waiting for it re-checks in time.
     */
    protected <T> Future<T> onOtherThread(Callable<T> task) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        others.execute(() -> {
            try {
                outcome.complete(task.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            } finally {
                ctx.wakeUp();
            }
        });
        return outcome;
    }

    /** Polls, blocking, until the condition holds; the home-thread timeout bounds it. */
    protected void pollUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            ctx.poll(true);
        }
    }

    protected static <T> T await(Future<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    /**
     * Gives the home thread time to go to sleep in its blocking poll before another thread
     * acts. The tests that use it pass whether or not the home thread is asleep by then;
     * the pause only makes the sleeping case the likely one.
     */
    protected static void letHomeThreadBlock(CountDownLatch aboutToPoll) throws InterruptedException {
        aboutToPoll.await(5, TimeUnit.SECONDS);
        Thread.sleep(50);
    }

    protected ContextCounters counters() {
        return ctx.snapshot().counters();
    }

    protected BottomHalf scheduled(String name, Runnable callback) {
        BottomHalf bh = ctx.newBottomHalf(name, callback);
        bh.schedule();
        return bh;
    }

    private static int[] runsOf(BhLoop... loops) {
        int[] runs = new int[loops.length];
        for (int i = 0; i < loops.length; i++) {
            runs[i] = loops[i].runs;
        }
        return runs;
    }

    private PendingBottomHalf pending(String name) {
        return ctx.snapshot().pendingBottomHalves().stream()
                .filter(bh -> bh.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed as pending"));
    }

    private VirtualClock stoppedVirtualClock() {
        VirtualClock clock = ctx.virtualClock();
        clock.stop();
        return clock;
    }

    // ------------------------------------------- bottom halves: test-aio.c /aio/bh/*

    @Test
    void shouldRunScheduledBhInNextPoll() { // /aio/bh/schedule
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("bh", runs);

        bh.schedule();
        assertThat(runs.count).isZero();

        assertThat(ctx.poll(true)).isTrue();
        assertThat(runs.count).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRunSelfReschedulingBhOncePerPoll() { // /aio/bh/schedule10
        BhLoop loop = BhLoop.rescheduling(ctx, "bh", 10);

        loop.bh.schedule();
        assertThat(loop.runs).isZero();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(loop.runs).isEqualTo(1);

        for (int expected = 2; expected <= 10; expected++) {
            assertThat(ctx.poll(true)).isTrue();
            assertThat(loop.runs).isEqualTo(expected);
        }

        assertThat(ctx.poll(false)).isFalse();
        assertThat(loop.runs).isEqualTo(10);
    }

    @Test
    void shouldNotRunCancelledBh() { // /aio/bh/cancel
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("bh", runs);

        bh.schedule();
        bh.cancel();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isZero();
    }

    @Test
    void shouldNotRunBhDeletedBeforePoll() { // /aio/bh/delete
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("bh", runs);

        bh.schedule();
        bh.delete();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isZero();
    }

    @Test
    void shouldForgetBhThatDeletesItselfInItsCallback() { // /aio/bh/callback-delete/one
        BhLoop loop = BhLoop.deleting(ctx, "bh", 1);

        loop.bh.schedule();
        assertThat(ctx.poll(true)).isTrue();
        assertThat(loop.runs).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(loop.runs).isEqualTo(1);
    }

    @Test
    void shouldRunEachOfManySelfDeletingBhsOncePerPoll() { // /aio/bh/callback-delete/many
        BhLoop[] loops = {
            BhLoop.deleting(ctx, "one", 1), BhLoop.deleting(ctx, "three", 3),
            BhLoop.deleting(ctx, "two", 2), BhLoop.deleting(ctx, "four", 4),
        };
        for (BhLoop loop : loops) {
            loop.bh.schedule();
        }
        assertThat(runsOf(loops)).containsExactly(0, 0, 0, 0);

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runsOf(loops)).containsExactly(1, 1, 1, 1);
        assertThat(ctx.poll(true)).isTrue();
        assertThat(runsOf(loops)).containsExactly(1, 2, 2, 2);
        assertThat(ctx.poll(true)).isTrue();
        assertThat(runsOf(loops)).containsExactly(1, 3, 2, 3);
        assertThat(ctx.poll(true)).isTrue();
        assertThat(runsOf(loops)).containsExactly(1, 3, 2, 4);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runsOf(loops)).containsExactly(1, 3, 2, 4);
    }

    @Test
    void shouldRunEveryScheduledBhInOneFlushingPoll() { // /aio/bh/flush
        Runs a = new Runs();
        Runs b = new Runs();
        Runs c = new Runs();
        scheduled("a", a);
        scheduled("b", b);
        scheduled("c", c);

        int progressPolls = 0;
        while (ctx.poll(false)) {
            progressPolls++;
        }

        assertThat(progressPolls).isEqualTo(1);
        assertThat(List.of(a.count, b.count, c.count)).containsExactly(1, 1, 1);
    }

    // ------------------------------------------------- bottom halves: the rest of §2

    @Test
    void shouldRunBhScheduledDuringItsOwnCallbackInNextPollOnly() {
        Runs runs = new Runs();
        BottomHalf[] self = new BottomHalf[1];
        self[0] = ctx.newBottomHalf("self", () -> {
            runs.run();
            if (runs.count == 1) {
                self[0].schedule();
                self[0].schedule();
            }
        });
        self[0].schedule();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);
        assertThat(self[0].isScheduled()).isTrue();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(2);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(2);
    }

    @Test
    void shouldRunBhScheduledByAnotherCallbackInNextPoll() {
        Runs before = new Runs();
        Runs after = new Runs();
        BottomHalf createdBefore = ctx.newBottomHalf("created-before", before);
        BottomHalf[] createdAfter = new BottomHalf[1];
        scheduled("scheduler", () -> {
            createdBefore.schedule();
            createdAfter[0].schedule();
        });
        createdAfter[0] = ctx.newBottomHalf("created-after", after);

        assertThat(ctx.poll(false)).isTrue();
        assertThat(List.of(before.count, after.count)).containsExactly(0, 0);

        assertThat(ctx.poll(false)).isTrue();
        assertThat(List.of(before.count, after.count)).containsExactly(1, 1);
    }

    @Test
    void shouldRunBhScheduledTwiceBeforePollOnce() {
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("bh", runs);

        bh.schedule();
        bh.schedule();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldNotRunBhDeletedByAnotherCallbackOfTheSamePoll() {
        Runs runs = new Runs();
        BottomHalf[] pair = new BottomHalf[2];
        Runnable deleteTheOther = () -> {
            runs.run();
            pair[0].delete();
            pair[1].delete();
        };
        pair[0] = scheduled("first", deleteTheOther);
        pair[1] = scheduled("second", deleteTheOther);

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldNeverRunBhAgainAfterItRescheduledAndDeletedItself() {
        Runs runs = new Runs();
        BottomHalf[] self = new BottomHalf[1];
        self[0] = scheduled("self", () -> {
            runs.run();
            self[0].schedule();
            self[0].delete();
        });

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRejectScheduleOfDeletedBh() {
        BottomHalf bh = ctx.newBottomHalf("bh", new Runs());

        bh.delete();

        assertThatThrownBy(bh::schedule).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bh::scheduleIdle).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectScheduleOfBhDeletedInItsCallback() {
        BhLoop loop = BhLoop.deleting(ctx, "bh", 1);
        loop.bh.schedule();

        assertThat(ctx.poll(false)).isTrue();

        assertThatThrownBy(loop.bh::schedule).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldTolerateDeletingTwice() {
        BottomHalf bh = scheduled("bh", new Runs());

        bh.delete();
        bh.delete();

        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldTolerateReleasingTimersNotifiersAndChannelsTwice() throws Exception {
        ctx.virtualClock().stop();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "t", new Runs());
        timer.modRelativeNanos(MS);
        EventNotifier notifier = ctx.newEventNotifier("e", new Runs());
        notifier.set();
        try (PipeProbe pipe = new PipeProbe()) {
            ChannelRegistration registration = ctx.registerChannel(pipe.source(), SelectionKey.OP_READ, pipe);
            pipe.write();

            timer.delete();
            timer.delete();
            notifier.close();
            notifier.close();
            registration.close();
            registration.close();

            ctx.virtualClock().step(2 * MS);
            assertThat(ctx.poll(false)).isFalse();
            assertThat(pipe.runs).isZero();
        }
    }

    @Test
    void shouldKeepCancelledBhUsable() {
        Runs runs = new Runs();
        BottomHalf bh = scheduled("bh", runs);
        bh.cancel();
        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isZero();

        bh.schedule();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldReportBhScheduledUntilItRuns() {
        BottomHalf bh = ctx.newBottomHalf("bh", new Runs());
        assertThat(bh.isScheduled()).isFalse();

        bh.schedule();
        assertThat(bh.isScheduled()).isTrue();

        ctx.poll(false);
        assertThat(bh.isScheduled()).isFalse();
    }

    @Test
    void shouldNotReportBhScheduledInsideItsOwnCallback() {
        List<Boolean> scheduledWhileRunning = new ArrayList<>();
        BottomHalf[] self = new BottomHalf[1];
        self[0] = scheduled("self", () -> scheduledWhileRunning.add(self[0].isScheduled()));

        ctx.poll(false);

        assertThat(scheduledWhileRunning).containsExactly(false);
    }

    @Test
    void shouldNotReportCancelledBhAsScheduled() {
        BottomHalf bh = scheduled("bh", new Runs());

        bh.cancel();

        assertThat(bh.isScheduled()).isFalse();
    }

    @Test
    void shouldNotReportDeletedBhAsScheduled() {
        BottomHalf bh = scheduled("bh", new Runs());

        bh.delete();

        assertThat(bh.isScheduled()).isFalse();
    }

    @Test
    void shouldRunOneshotOnce() {
        Runs runs = new Runs();

        ctx.scheduleOneshot("oneshot", runs);
        assertThat(runs.count).isZero();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(runs.count).isEqualTo(1);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRunExecutedCommandInHomeThread() throws Exception {
        Thread home = Thread.currentThread();
        List<Thread> ranIn = new ArrayList<>();

        await(onOtherThread(() -> {
            ctx.execute(() -> ranIn.add(Thread.currentThread()));
            return null;
        }));

        assertThat(ctx.poll(true)).isTrue();
        assertThat(ranIn).containsExactly(home);
        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldRunBhScheduledFromAnotherThreadInHomeThread() throws Exception {
        Thread home = Thread.currentThread();
        List<Boolean> inContextThread = new ArrayList<>();
        List<Thread> ranIn = new ArrayList<>();
        BottomHalf bh = ctx.newBottomHalf("remote", () -> {
            ranIn.add(Thread.currentThread());
            inContextThread.add(ctx.inContextThread());
        });

        await(onOtherThread(() -> {
            bh.schedule();
            return null;
        }));

        assertThat(ctx.poll(true)).isTrue();
        assertThat(ranIn).containsExactly(home);
        assertThat(inContextThread).containsExactly(true);
    }

    @Test
    void shouldTellHomeThreadFromOtherThreads() throws Exception {
        assertThat(ctx.inContextThread()).isTrue();

        assertThat(await(onOtherThread(ctx::inContextThread))).isFalse();
    }

    @Test
    void shouldRejectPollFromAnotherThread() {
        Future<Boolean> foreignPoll = onOtherThread(() -> ctx.poll(false));

        assertThat(catchThrowable(() -> await(foreignPoll)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldPropagateCallbackFailureAndKeepTheRestQueued() {
        Runs failures = new Runs();
        Runs others = new Runs();
        scheduled("ok-1", others);
        scheduled("failing", () -> {
            failures.run();
            throw new IllegalArgumentException("boom");
        });
        scheduled("ok-2", others);

        assertThatThrownBy(() -> ctx.poll(false)).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
        ctx.poll(false);

        assertThat(failures.count).isEqualTo(1);
        assertThat(others.count).isEqualTo(2);
        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldNameBhAndContext() {
        BottomHalf bh = ctx.newBottomHalf("named", new Runs());

        assertThat(bh.name()).isEqualTo("named");
        assertThat(bh.context()).isSameAs(ctx);
        assertThat(ctx.name()).isEqualTo("contract-" + scheduler());
        assertThat(ctx.schedulerName()).isEqualTo(scheduler());
    }

    @Test
    void shouldRejectNullCallback() {
        assertThatThrownBy(() -> ctx.newBottomHalf("null", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ctx.scheduleOneshot("null", null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------- nested poll

    @Test
    void shouldRunRestOfOuterSliceOnceInNestedPoll() {
        Runs runs = new Runs();
        List<Integer> runsWhenNestedPollReturned = new ArrayList<>();
        List<Boolean> nestedProgress = new ArrayList<>();
        Runnable firstPollsNested = () -> {
            runs.run();
            if (runs.count == 1) {
                nestedProgress.add(ctx.poll(false));
                runsWhenNestedPollReturned.add(runs.count);
            }
        };
        scheduled("a", firstPollsNested);
        scheduled("b", firstPollsNested);
        scheduled("c", firstPollsNested);

        assertThat(ctx.poll(false)).isTrue();

        assertThat(nestedProgress).containsExactly(true);
        assertThat(runsWhenNestedPollReturned).containsExactly(3);
        assertThat(runs.count).isEqualTo(3);
        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldRunEveryBhOnceWhenCallbackCatchesNestedPollFailure() {
        List<BottomHalf> bhs = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        Runnable[] callbacks = catchingNestedFailure(ran);
        for (int i = 0; i < callbacks.length; i++) {
            bhs.add(ctx.newBottomHalf("bh-" + i, callbacks[i]));
        }
        bhs.forEach(BottomHalf::schedule);

        assertThat(ctx.poll(false)).isTrue();
        while (ctx.poll(false)) {
            // the rest of the slice, if the failure left any
        }

        assertThat(ran).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void shouldRunEveryBhOnceWhenCallbackCatchesNestedPollFailureOfBhsFromAnotherThread() throws Exception {
        List<BottomHalf> bhs = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        Runnable[] callbacks = catchingNestedFailure(ran);
        for (int i = 0; i < callbacks.length; i++) {
            bhs.add(ctx.newBottomHalf("bh-" + i, callbacks[i]));
        }
        await(onOtherThread(() -> {
            bhs.forEach(BottomHalf::schedule);
            return null;
        }));

        assertThat(ctx.poll(false)).isTrue();
        while (ctx.poll(false)) {
            // the rest of the slice, if the failure left any
        }

        assertThat(ran).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void shouldRunEveryBhOnceWhenALoneBhCatchesItsNestedPollsFailure() {
        List<String> ran = new ArrayList<>();
        Runnable[] nested = catchingNestedFailure(ran);
        List<BottomHalf> bhs = new ArrayList<>();
        for (int i = 1; i < nested.length; i++) {
            bhs.add(ctx.newBottomHalf("bh-" + i, nested[i]));
        }
        scheduled("bh-0", () -> {
            // The only BH of its poll: it schedules the others, then runs nested[0], which
            // polls nested, and catches the failure of the first of them that poll runs.
            bhs.forEach(BottomHalf::schedule);
            nested[0].run();
        });

        assertThat(ctx.poll(false)).isTrue();
        while (ctx.poll(false)) {
            // the rest of the nested poll's slice, if the failure left any
        }

        assertThat(ran).hasSize(4).doesNotHaveDuplicates();
    }

    /**
     * Four callbacks that record their runs in {@code ran}, whatever order they run in: the
     * first to run polls nested and catches what that poll throws; the second throws.
     */
    private Runnable[] catchingNestedFailure(List<String> ran) {
        Runnable[] callbacks = new Runnable[4];
        for (int i = 0; i < callbacks.length; i++) {
            String name = "bh-" + i;
            callbacks[i] = () -> {
                ran.add(name);
                if (ran.size() == 1) {
                    assertThatThrownBy(() -> ctx.poll(false)).hasMessage("boom");
                } else if (ran.size() == 2) {
                    throw new IllegalStateException("boom");
                }
            };
        }
        return callbacks;
    }

    @Test
    void shouldRunBhScheduledBeforeNestedPollOnlyInTheNestedPoll() {
        Runs inner = new Runs();
        BottomHalf innerBh = ctx.newBottomHalf("inner", inner);
        List<Integer> innerRunsAfterNestedPoll = new ArrayList<>();
        scheduled("outer", () -> {
            innerBh.schedule();
            ctx.poll(false);
            innerRunsAfterNestedPoll.add(inner.count);
        });

        assertThat(ctx.poll(false)).isTrue();

        assertThat(innerRunsAfterNestedPoll).containsExactly(1);
        assertThat(inner.count).isEqualTo(1);
        assertThat(ctx.poll(false)).isFalse();
    }

    // -------------------------------------------------------------- idle BHs, progress

    @Test
    void shouldRunIdleBhWithoutCountingProgress() {
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("idle", runs);

        bh.scheduleIdle();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRunIdleBhInBlockingPollAfterShortSleep() {
        Runs runs = new Runs();
        ctx.newBottomHalf("idle", runs).scheduleIdle();
        long start = System.nanoTime();

        assertThat(ctx.poll(true)).isFalse();

        assertThat(runs.count).isEqualTo(1);
        assertThat(System.nanoTime() - start).isLessThan(1_000 * MS);
    }

    @Test
    void shouldNotBlockOnWakeUpFromAnotherThreadBeforePoll() throws Exception {
        await(others.submit(ctx::wakeUp));

        assertThat(ctx.poll(true)).isFalse();
    }

    @Test
    void shouldNotBlockOnWakeUpFromHomeThreadBeforePoll() {
        ctx.wakeUp();

        assertThat(ctx.poll(true)).isFalse();
    }

    @Test
    void shouldWakeBlockingPollWhenAnotherThreadSchedules() throws Exception {
        Runs runs = new Runs();
        BottomHalf bh = ctx.newBottomHalf("remote", runs);
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Future<Object> remote = onOtherThread(() -> {
            letHomeThreadBlock(aboutToPoll);
            bh.schedule();
            return null;
        });

        aboutToPoll.countDown();
        assertThat(ctx.poll(true)).isTrue();

        assertThat(runs.count).isEqualTo(1);
        await(remote);
    }

    @Test
    void shouldReturnNoProgressWhenAnotherThreadWakesBlockingPoll() throws Exception {
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Future<Object> remote = others.submit(() -> {
            letHomeThreadBlock(aboutToPoll);
            ctx.wakeUp();
            return null;
        });

        aboutToPoll.countDown();
        assertThat(ctx.poll(true)).isFalse();

        await(remote);
    }

    @Test
    void shouldSleepAgainSoonAfterRunningWorkAnotherThreadHandedOverWhileItRan() throws Exception {
        Runs remoteRuns = new Runs();
        BottomHalf remote = ctx.newBottomHalf("remote", remoteRuns);
        // Another thread schedules while a poll runs: its notification comes after that
        // poll began, and stays set while the following polls find work.
        scheduled("hand-over", () -> {
            try {
                await(others.submit(remote::schedule));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(ctx.poll(true)).isTrue();
        // The sliced scheduler runs it in the next poll; the linear walk may have met it.
        pollUntil(() -> remoteRuns.count == 1);
        ContextCounters before = counters();
        Runs fired = new Runs();
        ctx.newTimer(ClockType.REALTIME, "timer", fired).modRelativeNanos(50 * MS);

        int pollsWithoutProgress = 0;
        while (!ctx.poll(true) && pollsWithoutProgress <= 100) {
            pollsWithoutProgress++;
        }

        assertThat(fired.count).isEqualTo(1);
        assertThat(pollsWithoutProgress).as("polls that neither slept nor found work").isLessThanOrEqualTo(1);
        assertThat(counters().blockingWaits() - before.blockingWaits()).isPositive();
    }

    // ---------------------------------------------------------------- computeTimeout

    @Test
    void shouldComputeNoTimeoutWhenNothingIsPending() {
        assertThat(ctx.computeTimeoutNanos()).isEqualTo(-1);
    }

    @Test
    void shouldComputeZeroTimeoutWithScheduledBh() {
        scheduled("bh", new Runs());

        assertThat(ctx.computeTimeoutNanos()).isZero();
    }

    @Test
    void shouldComputeShortTimeoutWithOnlyIdleBh() {
        ctx.newBottomHalf("idle", new Runs()).scheduleIdle();

        assertThat(ctx.computeTimeoutNanos()).isPositive().isLessThanOrEqualTo(10 * MS);
    }

    @Test
    void shouldComputeTimeoutUntilTimerDeadline() {
        ctx.newTimer(ClockType.REALTIME, "timer", new Runs()).modRelativeNanos(500 * MS);

        assertThat(ctx.computeTimeoutNanos()).isGreaterThan(400 * MS).isLessThanOrEqualTo(500 * MS);
    }

    @Test
    void shouldComputeZeroTimeoutWithScheduledBhAndTimer() {
        ctx.newTimer(ClockType.REALTIME, "timer", new Runs()).modRelativeNanos(500 * MS);
        scheduled("bh", new Runs());

        assertThat(ctx.computeTimeoutNanos()).isZero();
    }

    @Test
    void shouldIgnoreCancelledBhInTimeout() {
        scheduled("bh", new Runs()).cancel();

        assertThat(ctx.computeTimeoutNanos()).isEqualTo(-1);
    }

    @Test
    void shouldIgnoreDeletedBhInTimeout() {
        scheduled("bh", new Runs()).delete();

        assertThat(ctx.computeTimeoutNanos()).isEqualTo(-1);
    }

    // ------------------------------------------ event notifiers: test-aio.c /aio/event/*

    @Test
    void shouldNotRunHandlerOfNotifierThatIsNotSet() { // /aio/event/add-remove
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");
        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isZero();

        probe.notifier.close();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isZero();
    }

    @Test
    void shouldRunHandlerOncePerSet() { // /aio/event/wait
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");
        ctx.poll(false);

        probe.notifier.set();
        assertThat(ctx.poll(false)).isTrue();
        assertThat(probe.runs).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isEqualTo(1);
    }

    @Test
    void shouldRunSelfSettingHandlerOncePerPoll() { // /aio/event/flush
        NotifierProbe probe = NotifierProbe.selfSetting(ctx, "e", 10);
        ctx.poll(false);

        probe.notifier.set();
        for (int expected = 1; expected <= 10; expected++) {
            assertThat(ctx.poll(false)).isTrue();
            assertThat(probe.runs).isEqualTo(expected);
            assertThat(probe.active).isEqualTo(10 - expected);
        }

        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isEqualTo(10);
    }

    @Test
    void shouldRunOnlyTheHandlerOfTheNotifierThatIsSet() { // /aio/event/wait/no-flush-cb
        NotifierProbe data = NotifierProbe.clearing(ctx, "data");
        NotifierProbe dummy = NotifierProbe.clearing(ctx, "dummy");
        ctx.poll(false);

        data.notifier.set();
        assertThat(ctx.poll(false)).isTrue();
        assertThat(List.of(data.runs, dummy.runs)).containsExactly(1, 0);
        assertThat(ctx.poll(false)).isFalse();

        dummy.notifier.set();
        assertThat(ctx.poll(false)).isTrue();
        assertThat(List.of(data.runs, dummy.runs)).containsExactly(1, 1);
        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldRunHandlerInEveryPollWhileNotifierStaysSet() {
        NotifierProbe probe = NotifierProbe.notClearing(ctx, "level");
        ctx.poll(false);
        probe.notifier.set();

        assertThat(ctx.poll(false)).isTrue();
        assertThat(probe.runs).isEqualTo(1);
        assertThat(ctx.poll(false)).isTrue();
        assertThat(probe.runs).isEqualTo(2);

        assertThat(probe.notifier.testAndClear()).isTrue();
        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isEqualTo(2);
    }

    @Test
    void shouldWakeBlockingPollWhenAnotherThreadSetsNotifier() throws Exception {
        NotifierProbe probe = NotifierProbe.clearing(ctx, "remote");
        ctx.poll(false);
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Future<Object> remote = onOtherThread(() -> {
            letHomeThreadBlock(aboutToPoll);
            probe.notifier.set();
            return null;
        });

        aboutToPoll.countDown();
        assertThat(ctx.poll(true)).isTrue();

        assertThat(probe.runs).isEqualTo(1);
        await(remote);
    }

    @Test
    void shouldNotRunHandlerOfClosedNotifier() {
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");
        ctx.poll(false);
        probe.notifier.set();

        probe.notifier.close();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isZero();
    }

    @Test
    void shouldReportWhetherNotifierWasSetOnTestAndClear() {
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");

        assertThat(probe.notifier.testAndClear()).isFalse();
        probe.notifier.set();
        assertThat(probe.notifier.testAndClear()).isTrue();
        assertThat(probe.notifier.testAndClear()).isFalse();
    }

    // -------------------------------------------------- timers: test-aio.c /aio/timer/*

    @Test
    void shouldFireVirtualTimerExactlyAtItsDeadline() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        ctx.newTimer(ClockType.VIRTUAL, "timer", fired).modRelativeNanos(750 * MS);

        clock.step(750 * MS - 1);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isZero();

        clock.step(1);
        assertThat(ctx.poll(false)).isTrue();
        assertThat(fired.count).isEqualTo(1);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isEqualTo(1);
    }

    @Test
    void shouldWaitForRealtimeTimerInBlockingPoll() { // /aio/timer/schedule
        TimerLoop loop = new TimerLoop(ctx, ClockType.REALTIME, 20 * MS, 2);
        long start = ctx.clockNanos(ClockType.REALTIME);
        loop.timer.modRelativeNanos(20 * MS);

        boolean progress = false;
        while (loop.fired < 2) {
            progress = ctx.poll(true);
        }

        assertThat(progress).isTrue();
        assertThat(ctx.clockNanos(ClockType.REALTIME) - start).isGreaterThanOrEqualTo(40 * MS);
        assertThat(loop.timer.isPending()).isFalse();
    }

    @Test
    void shouldFireTimerRearmedInItsCallbackOncePerPeriod() {
        VirtualClock clock = stoppedVirtualClock();
        TimerLoop loop = new TimerLoop(ctx, ClockType.VIRTUAL, MS, 3);
        loop.timer.modRelativeNanos(MS);

        for (int expected = 1; expected <= 3; expected++) {
            clock.step(MS);
            assertThat(ctx.poll(false)).isTrue();
            assertThat(loop.fired).isEqualTo(expected);
        }

        clock.step(MS);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(loop.fired).isEqualTo(3);
    }

    @Test
    void shouldWakeBlockingPollWhenAnotherThreadStepsVirtualClock() throws Exception {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        ctx.newTimer(ClockType.VIRTUAL, "timer", fired).modRelativeNanos(MS);
        ctx.poll(false);
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Future<Object> remote = onOtherThread(() -> {
            letHomeThreadBlock(aboutToPoll);
            clock.step(MS);
            return null;
        });

        aboutToPoll.countDown();
        assertThat(ctx.poll(true)).isTrue();

        assertThat(fired.count).isEqualTo(1);
        await(remote);
    }

    @Test
    void shouldWakeBlockingPollWhenAnotherThreadArmsEarlierTimer() throws Exception {
        ctx.newTimer(ClockType.REALTIME, "far", new Runs()).modRelativeNanos(5_000 * MS);
        Runs fired = new Runs();
        AioTimer near = ctx.newTimer(ClockType.REALTIME, "near", fired);
        CountDownLatch aboutToPoll = new CountDownLatch(1);
        Future<Object> remote = onOtherThread(() -> {
            letHomeThreadBlock(aboutToPoll);
            near.modRelativeNanos(10 * MS);
            return null;
        });
        long start = System.nanoTime();

        aboutToPoll.countDown();
        pollUntil(() -> fired.count > 0);

        assertThat(System.nanoTime() - start).isLessThan(2_000 * MS);
        await(remote);
    }

    @Test
    void shouldFireExpiredTimersInDeadlineOrder() {
        VirtualClock clock = stoppedVirtualClock();
        RunLog log = new RunLog();
        ctx.newTimer(ClockType.VIRTUAL, "late", log.entry("late")).modRelativeNanos(2 * MS);
        ctx.newTimer(ClockType.VIRTUAL, "early", log.entry("early")).modRelativeNanos(MS);

        clock.step(2 * MS);
        while (ctx.poll(false)) {
            // fire everything that is due
        }

        assertThat(log.order).containsExactly("early", "late");
    }

    @Test
    void shouldReportArmedTimerAsPendingWithItsExpireTime() {
        stoppedVirtualClock();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", new Runs());
        assertThat(timer.isPending()).isFalse();
        assertThat(timer.expireTimeNanos()).isEqualTo(-1);

        long deadline = ctx.clockNanos(ClockType.VIRTUAL) + 5 * MS;
        timer.modNanos(deadline);

        assertThat(timer.isPending()).isTrue();
        assertThat(timer.expireTimeNanos()).isEqualTo(deadline);
    }

    @Test
    void shouldArmRelativeTimerFromCurrentClockTime() {
        stoppedVirtualClock();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", new Runs());

        timer.modRelativeNanos(5 * MS);

        assertThat(timer.expireTimeNanos()).isEqualTo(ctx.clockNanos(ClockType.VIRTUAL) + 5 * MS);
    }

    @Test
    void shouldNotReportFiredTimerAsPending() {
        VirtualClock clock = stoppedVirtualClock();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", new Runs());
        timer.modRelativeNanos(MS);

        clock.step(MS);
        assertThat(ctx.poll(false)).isTrue();

        assertThat(timer.isPending()).isFalse();
        assertThat(timer.expireTimeNanos()).isEqualTo(-1);
    }

    @Test
    void shouldNotFireCancelledTimer() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", fired);
        timer.modRelativeNanos(MS);

        timer.cancel();
        assertThat(timer.isPending()).isFalse();
        assertThat(timer.expireTimeNanos()).isEqualTo(-1);

        clock.step(MS);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isZero();
    }

    @Test
    void shouldFireCancelledTimerArmedAgain() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", fired);
        timer.modRelativeNanos(MS);
        timer.cancel();

        timer.modRelativeNanos(MS);
        clock.step(MS);

        assertThat(ctx.poll(false)).isTrue();
        assertThat(fired.count).isEqualTo(1);
    }

    @Test
    void shouldFireRearmedTimerOnlyAtItsNewDeadline() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", fired);
        timer.modRelativeNanos(MS);
        timer.modRelativeNanos(5 * MS);

        clock.step(MS);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isZero();

        clock.step(4 * MS);
        assertThat(ctx.poll(false)).isTrue();
        assertThat(fired.count).isEqualTo(1);
    }

    @Test
    void shouldNotFireDeletedTimer() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", fired);
        timer.modRelativeNanos(MS);

        timer.delete();
        clock.step(MS);

        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isZero();
        assertThat(timer.isPending()).isFalse();
    }

    @Test
    void shouldRejectArmingDeletedTimer() {
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", new Runs());

        timer.delete();
        timer.delete();

        assertThatThrownBy(() -> timer.modNanos(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> timer.modRelativeNanos(MS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldFreezeStoppedVirtualClockUntilStepped() {
        VirtualClock clock = stoppedVirtualClock();
        long frozen = ctx.clockNanos(ClockType.VIRTUAL);
        long hostStart = System.nanoTime();
        while (System.nanoTime() - hostStart < 2 * MS) {
            Thread.onSpinWait();
        }
        assertThat(clock.isRunning()).isFalse();
        assertThat(ctx.clockNanos(ClockType.VIRTUAL)).isEqualTo(frozen);

        clock.step(5 * MS);

        assertThat(ctx.clockNanos(ClockType.VIRTUAL)).isEqualTo(frozen + 5 * MS);
    }

    @Test
    void shouldRejectStepOfRunningVirtualClock() {
        VirtualClock clock = ctx.virtualClock();

        assertThat(clock.isRunning()).isTrue();
        assertThatThrownBy(() -> clock.step(MS)).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------------ close

    @Test
    void shouldRunScheduledBhOnceAtClose() {
        Runs runs = new Runs();
        scheduled("bh", runs);

        ctx.close();

        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRunScheduledOneshotAtClose() {
        Runs runs = new Runs();
        ctx.scheduleOneshot("oneshot", runs);

        ctx.close();

        assertThat(runs.count).isEqualTo(1);
    }

    @Test
    void shouldRunEveryScheduledBhAtCloseWhenOneReschedulesItself() {
        Runs plain = new Runs();
        scheduled("plain", plain);
        BhLoop periodic = BhLoop.rescheduling(ctx, "periodic", 10);
        periodic.bh.schedule();

        Throwable thrown = catchThrowable(ctx::close); // a late schedule() may throw: not the point

        assertThat(periodic.runs).isEqualTo(1);
        assertThat(plain.count).as("runs of the other BH; close() threw %s", thrown).isEqualTo(1);
    }

    @Test
    void shouldNotRunCancelledOrDeletedBhAtClose() {
        Runs runs = new Runs();
        scheduled("cancelled", runs).cancel();
        scheduled("deleted", runs).delete();

        ctx.close();

        assertThat(runs.count).isZero();
    }

    @Test
    void shouldRejectScheduleAfterClose() {
        BottomHalf bh = ctx.newBottomHalf("bh", new Runs());

        ctx.close();

        assertThatThrownBy(bh::schedule).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bh::scheduleIdle).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ctx.scheduleOneshot("oneshot", new Runs())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ctx.newBottomHalf("late", new Runs())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectExecuteAfterClose() {
        ctx.close();

        assertThatThrownBy(() -> ctx.execute(new Runs())).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shouldRejectCallAfterClose() {
        ctx.close();

        assertThatThrownBy(() -> ctx.call(() -> 42, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldDisarmTimersAtClose() {
        VirtualClock clock = stoppedVirtualClock();
        Runs fired = new Runs();
        AioTimer timer = ctx.newTimer(ClockType.VIRTUAL, "timer", fired);
        timer.modRelativeNanos(750 * MS);

        ctx.close();

        assertThat(timer.isPending()).isFalse();
        clock.step(750 * MS);
        assertThat(ctx.poll(false)).isFalse();
        assertThat(fired.count).isZero();
        assertThatThrownBy(() -> timer.modRelativeNanos(MS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ctx.newTimer(ClockType.VIRTUAL, "late", new Runs()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReleaseNotifiersAtClose() {
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");
        probe.notifier.set();

        ctx.close();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(probe.runs).isZero();
        assertThatThrownBy(() -> ctx.newEventNotifier("late", new Runs())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldTolerateSetAfterNotifierOrContextClose() {
        NotifierProbe closedFirst = NotifierProbe.clearing(ctx, "closed-first");
        NotifierProbe open = NotifierProbe.clearing(ctx, "open");
        closedFirst.notifier.close();

        closedFirst.notifier.set();
        ctx.close();
        open.notifier.set();

        assertThat(ctx.poll(false)).isFalse();
        assertThat(closedFirst.runs).isZero();
        assertThat(open.runs).isZero();
    }

    /**
     * An IOThread's close (DESIGN §2): a BH still scheduled when the loop is told to stop
     * runs once, in the IOThread, then the thread ends and later schedules are refused.
     */
    @Test
    void shouldRunWhatIsScheduledOnceThenEndTheIoThread() throws Exception {
        IoThread ioThread = new IoThread("close-" + scheduler(), scheduler(), new AdaptivePolling(0, 0, 0));
        AioContext io = ioThread.context();
        AtomicInteger lateRuns = new AtomicInteger();
        CompletableFuture<Thread> lateRanIn = new CompletableFuture<>();
        BottomHalf late = io.newBottomHalf("late", () -> {
            lateRuns.incrementAndGet();
            lateRanIn.complete(Thread.currentThread());
        });
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ioThread.start();
        io.scheduleOneshot("blocker", () -> {
            late.schedule(); // still scheduled when the loop sees that it must stop
            blocking.countDown();
            awaitQuietly(release);
        });
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();

        Future<Boolean> ended = others.submit(() -> ioThread.stop(Duration.ofSeconds(5)));
        // Lets stop() raise its flag before the loop goes on; the test holds either way.
        Thread.sleep(50);
        release.countDown();

        assertThat(await(ended)).as("the IOThread ended").isTrue();
        assertThat(lateRuns.get()).isEqualTo(1);
        assertThat(await(lateRanIn).getName()).isEqualTo("IO close-" + scheduler());
        assertThatThrownBy(late::schedule).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> io.scheduleOneshot("after", new Runs())).isInstanceOf(IllegalStateException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldTolerateClosingTwice() {
        Runs runs = new Runs();
        scheduled("bh", runs);

        ctx.close();
        ctx.close();

        assertThat(runs.count).isEqualTo(1);
    }

    // ------------------------------------------------------------------------- call

    @Test
    void shouldReturnValueComputedInHomeThreadToCallerOnAnotherThread() throws Exception {
        Thread home = Thread.currentThread();

        Future<Thread> ranIn = onOtherThread(() -> ctx.call(Thread::currentThread, Duration.ofSeconds(5)));
        pollUntil(ranIn::isDone);

        assertThat(await(ranIn)).isSameAs(home);
    }

    @Test
    void shouldRunCallAtOnceInHomeThread() {
        assertThat(ctx.call(() -> 42, Duration.ofSeconds(1))).isEqualTo(42);
    }

    @Test
    void shouldWrapWhatCallTaskThrowsInCompletionException() {
        IOException failure = new IOException("task failed");

        assertThatThrownBy(() -> ctx.call(() -> {
            throw failure;
        }, Duration.ofSeconds(1))).isInstanceOf(CompletionException.class).hasCause(failure);
    }

    @Test
    void shouldThrowContextBusyWhenHomeThreadDoesNotPoll() {
        long start = System.nanoTime();
        Future<Integer> answer = onOtherThread(() -> ctx.call(() -> 42, Duration.ofMillis(100)));

        assertThat(catchThrowable(() -> await(answer)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ContextBusyException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(100 * MS);
    }

    // ------------------------------------------------------------------ submitBlocking

    @Test
    void shouldRunBlockingWorkOffTheHomeThread() {
        Done<Thread> done = new Done<>();

        ctx.submitBlocking(Thread::currentThread, done);
        pollUntil(done::called);

        assertThat(done.result).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void shouldCompleteBlockingWorkInHomeThreadWithItsResult() {
        Done<String> done = new Done<>();

        ctx.submitBlocking(() -> "result", done);
        pollUntil(done::called);
        ctx.poll(false);

        assertThat(done.calls).isEqualTo(1);
        assertThat(done.thread).isSameAs(Thread.currentThread());
        assertThat(done.result).isEqualTo("result");
        assertThat(done.failure).isNull();
    }

    @Test
    void shouldCompleteFailedBlockingWorkInHomeThreadWithItsFailure() {
        IOException failure = new IOException("disk on fire");
        Done<String> done = new Done<>();

        ctx.submitBlocking(() -> {
            throw failure;
        }, done);
        pollUntil(done::called);

        assertThat(done.thread).isSameAs(Thread.currentThread());
        assertThat(done.result).isNull();
        assertThat(done.failure).isSameAs(failure);
    }

    @Test
    void shouldCountBlockingWork() {
        ContextCounters before = counters();
        Done<Integer> done = new Done<>();

        ctx.submitBlocking(() -> 1, done);
        pollUntil(done::called);

        ContextCounters after = counters();
        assertThat(after.blockingWorkSubmitted() - before.blockingWorkSubmitted()).isEqualTo(1);
        assertThat(after.blockingWorkCompleted() - before.blockingWorkCompleted()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------- channels

    @Test
    void shouldRunChannelHandlerWhenAnotherThreadWritesThePipe() throws Exception {
        try (PipeProbe pipe = new PipeProbe()) {
            ChannelRegistration registration = ctx.registerChannel(pipe.source(), SelectionKey.OP_READ, pipe);
            ctx.poll(false);
            assertThat(pipe.runs).isZero();
            CountDownLatch aboutToPoll = new CountDownLatch(1);
            Future<Object> remote = onOtherThread(() -> {
                letHomeThreadBlock(aboutToPoll);
                pipe.write();
                return null;
            });

            aboutToPoll.countDown();
            assertThat(ctx.poll(true)).isTrue();

            assertThat(pipe.runs).isEqualTo(1);
            assertThat(pipe.lastReadyOps & SelectionKey.OP_READ).isNotZero();
            assertThat(pipe.lastRegistration).isSameAs(registration);
            await(remote);
        }
    }

    @Test
    void shouldNotRunHandlerOfClosedRegistration() throws Exception {
        try (PipeProbe pipe = new PipeProbe()) {
            ChannelRegistration registration = ctx.registerChannel(pipe.source(), SelectionKey.OP_READ, pipe);
            ctx.poll(false);

            registration.close();
            pipe.write();

            assertThat(ctx.poll(false)).isFalse();
            assertThat(pipe.runs).isZero();
            assertThat(pipe.source().isOpen()).isTrue();
        }
    }

    @Test
    void shouldNotRunHandlerWithEmptyInterestSet() throws Exception {
        try (PipeProbe pipe = new PipeProbe()) {
            ChannelRegistration registration = ctx.registerChannel(pipe.source(), SelectionKey.OP_READ, pipe);
            ctx.poll(false);

            registration.interestOps(0);
            pipe.write();

            assertThat(ctx.poll(false)).isFalse();
            assertThat(pipe.runs).isZero();
            assertThat(registration.interestOps()).isZero();
        }
    }

    @Test
    void shouldResumeHandlerWhenInterestIsRestored() throws Exception {
        try (PipeProbe pipe = new PipeProbe()) {
            ChannelRegistration registration = ctx.registerChannel(pipe.source(), 0, pipe);
            pipe.write();
            ctx.poll(false);

            registration.interestOps(SelectionKey.OP_READ);

            assertThat(ctx.poll(false)).isTrue();
            assertThat(pipe.runs).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------------- snapshot

    @Test
    void shouldTakeSnapshotDirectlyInHomeThread() {
        ContextSnapshot snapshot = ctx.snapshot();

        assertThat(snapshot.name()).isEqualTo(ctx.name());
        assertThat(snapshot.scheduler()).isEqualTo(scheduler());
        assertThat(snapshot.threadName()).isEqualTo(Thread.currentThread().getName());
        assertThat(snapshot.sliceDepth()).isZero();
    }

    @Test
    void shouldTakeSnapshotForAnotherThreadInHomeThread() throws Exception {
        Future<ContextSnapshot> remote = onOtherThread(ctx::snapshot);
        pollUntil(remote::isDone);

        assertThat(await(remote).threadName()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void shouldReportBusyWhenHomeThreadDoesNotAnswerSnapshot() {
        Future<ContextSnapshot> remote = onOtherThread(ctx::snapshot);

        assertThat(catchThrowable(() -> await(remote)))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ContextBusyException.class);
    }

    @Test
    void shouldReportSliceDepthZeroToAnotherThreadWhileLoopIsIdle() throws Exception {
        Future<ContextSnapshot> remote = onOtherThread(ctx::snapshot);
        pollUntil(remote::isDone);

        assertThat(await(remote).sliceDepth()).as("the snapshot's own BH poll is not counted").isZero();
    }

    @Test
    void shouldReportOneNestedPollToAnotherThread() throws Exception {
        assertThat(snapshotByAnotherThreadInside(1).sliceDepth()).isEqualTo(1);
    }

    @Test
    void shouldReportTwoNestedPollsToAnotherThread() throws Exception {
        assertThat(snapshotByAnotherThreadInside(2).sliceDepth()).isEqualTo(2);
    }

    /**
     * Runs a callback that sits in {@code nestedPolls} nested polls while another thread takes
     * a snapshot, and returns that snapshot. The innermost callback keeps polling, so the
     * snapshot's own BH runs inside its nested poll.
     */
    private ContextSnapshot snapshotByAnotherThreadInside(int nestedPolls) throws Exception {
        CompletableFuture<Future<ContextSnapshot>> remote = new CompletableFuture<>();
        scheduled("nest1", nest(1, nestedPolls, remote));

        ctx.poll(false);

        assertThat(remote).isDone();
        return await(remote.get());
    }

    private Runnable nest(int level, int nestedPolls, CompletableFuture<Future<ContextSnapshot>> remote) {
        return () -> {
            if (level < nestedPolls) {
                scheduled("nest" + (level + 1), nest(level + 1, nestedPolls, remote));
            } else {
                remote.complete(onOtherThread(ctx::snapshot));
            }
            pollUntil(() -> remote.isDone() && remote.join().isDone());
        };
    }

    @Test
    void shouldListScheduledBhAsWaitingForNextPoll() {
        scheduled("bh", new Runs());

        PendingBottomHalf bh = pending("bh");

        assertThat(bh.flagCodes()).isEqualTo("PS---");
        assertThat(bh.queue()).isEqualTo(queueBeforePoll());
        assertThat(bh.slice()).isZero();
    }

    @Test
    void shouldListIdleBhWithIdleFlag() {
        ctx.newBottomHalf("idle", new Runs()).scheduleIdle();

        assertThat(pending("idle").flagCodes()).isEqualTo("PS--I");
    }

    @Test
    void shouldListOneshotWithOneshotFlag() {
        ctx.scheduleOneshot("oneshot", new Runs());

        assertThat(pending("oneshot").flagCodes()).isEqualTo("PS-O-");
    }

    @Test
    void shouldListCancelledBhWithoutScheduledFlag() {
        scheduled("cancelled", new Runs()).cancel();

        assertThat(pending("cancelled").flagCodes()).isEqualTo("P----");
    }

    @Test
    void shouldListDeletedBhWithDeletedFlag() {
        ctx.newBottomHalf("deleted", new Runs()).delete();

        assertThat(pending("deleted").flags()).contains(BhFlag.PENDING, BhFlag.DELETED);
    }

    @Test
    void shouldNotListBhThatIsNotScheduled() {
        ctx.newBottomHalf("idle-but-unscheduled", new Runs());

        assertThat(ctx.snapshot().pendingBottomHalves()).isEmpty();
    }

    @Test
    void shouldNotListBhAfterItRan() {
        scheduled("bh", new Runs());

        ctx.poll(false);

        assertThat(ctx.snapshot().pendingBottomHalves()).isEmpty();
    }

    @Test
    void shouldListBhsWaitingInTheRunningPoll() {
        List<ContextSnapshot> taken = new ArrayList<>();
        Runnable firstTakesSnapshot = () -> {
            if (taken.isEmpty()) {
                taken.add(ctx.snapshot());
            }
        };
        scheduled("a", firstTakesSnapshot);
        scheduled("b", firstTakesSnapshot);
        scheduled("c", firstTakesSnapshot);

        assertThat(ctx.poll(false)).isTrue();

        assertThat(taken.get(0).pendingBottomHalves()).hasSize(2).allSatisfy(bh -> {
            assertThat(bh.flagCodes()).isEqualTo("PS---");
            assertThat(bh.queue()).isEqualTo(queueInRunningPoll());
            assertThat(bh.slice()).isEqualTo(outermostSliceNumber());
        });
    }

    @Test
    void shouldListOuterSliceBhWhileCallbackIsInsideNestedPoll() {
        List<ContextSnapshot> taken = new ArrayList<>();
        Runs calls = new Runs();
        Runnable firstNestsSecondSnapshots = () -> {
            calls.run();
            if (calls.count == 1) {
                ctx.poll(false);
            } else if (calls.count == 2) {
                taken.add(ctx.snapshot());
            }
        };
        scheduled("a", firstNestsSecondSnapshots);
        scheduled("b", firstNestsSecondSnapshots);
        scheduled("c", firstNestsSecondSnapshots);

        assertThat(ctx.poll(false)).isTrue();

        assertThat(taken.get(0).pendingBottomHalves()).singleElement().satisfies(bh -> {
            assertThat(bh.flagCodes()).isEqualTo("PS---");
            assertThat(bh.queue()).isEqualTo(queueInRunningPoll());
            assertThat(bh.slice()).isEqualTo(outermostSliceNumber());
        });
    }

    @Test
    void shouldListArmedTimersEarliestFirst() {
        stoppedVirtualClock();
        long now = ctx.clockNanos(ClockType.VIRTUAL);
        ctx.newTimer(ClockType.VIRTUAL, "late", new Runs()).modNanos(now + 7 * MS);
        ctx.newTimer(ClockType.VIRTUAL, "early", new Runs()).modNanos(now + 5 * MS);

        ContextSnapshot snapshot = ctx.snapshot();

        assertThat(snapshot.timers()).extracting(t -> t.name()).containsExactly("early", "late");
        assertThat(snapshot.timers().get(0).clock()).isEqualTo(ClockType.VIRTUAL);
        assertThat(snapshot.timers().get(0).expireAtNanos()).isEqualTo(now + 5 * MS);
        assertThat(snapshot.timers().get(0).remainingNanos()).isEqualTo(5 * MS);
    }

    // ---------------------------------------------------------------------- counters

    @Test
    void shouldCountPollWithoutProgress() {
        ContextCounters before = counters();

        ctx.poll(false);

        ContextCounters after = counters();
        assertThat(after.polls() - before.polls()).isEqualTo(1);
        assertThat(after.progressPolls() - before.progressPolls()).isZero();
        assertThat(after.bhRuns() - before.bhRuns()).isZero();
    }

    @Test
    void shouldCountBhRunAsProgress() {
        ContextCounters before = counters();
        scheduled("bh", new Runs());

        ctx.poll(false);

        ContextCounters after = counters();
        assertThat(after.polls() - before.polls()).isEqualTo(1);
        assertThat(after.progressPolls() - before.progressPolls()).isEqualTo(1);
        assertThat(after.bhRuns() - before.bhRuns()).isEqualTo(1);
        assertThat(after.bhDequeued() - before.bhDequeued()).isEqualTo(1);
    }

    @Test
    void shouldDequeueBhScheduledThriceOnce() {
        ContextCounters before = counters();
        BottomHalf bh = scheduled("bh", new Runs());
        bh.schedule();
        bh.schedule();

        ctx.poll(false);

        assertThat(counters().bhDequeued() - before.bhDequeued()).isEqualTo(1);
    }

    @Test
    void shouldCountIdleBhRunWithoutProgress() {
        ContextCounters before = counters();
        ctx.newBottomHalf("idle", new Runs()).scheduleIdle();

        ctx.poll(false);

        ContextCounters after = counters();
        assertThat(after.bhRuns() - before.bhRuns()).isEqualTo(1);
        assertThat(after.progressPolls() - before.progressPolls()).isZero();
    }

    @Test
    void shouldCountNestedPolls() {
        ContextCounters before = counters();
        scheduled("outer", () -> ctx.poll(false));

        ctx.poll(false);

        assertThat(counters().polls() - before.polls()).isEqualTo(2);
    }

    @Test
    void shouldCountTimerFiredInBlockingWait() {
        ContextCounters before = counters();
        Runs fired = new Runs();
        ctx.newTimer(ClockType.REALTIME, "timer", fired).modRelativeNanos(10 * MS);

        pollUntil(() -> fired.count > 0);

        ContextCounters after = counters();
        assertThat(after.timersFired() - before.timersFired()).isEqualTo(1);
        assertThat(after.blockingWaits() - before.blockingWaits()).isPositive();
    }

    @Test
    void shouldCountNotifierRuns() {
        NotifierProbe probe = NotifierProbe.clearing(ctx, "e");
        ctx.poll(false);
        ContextCounters before = counters();

        probe.notifier.set();
        ctx.poll(false);

        assertThat(counters().notifierRuns() - before.notifierRuns()).isEqualTo(1);
    }

    @Test
    void shouldCountChannelRuns() throws Exception {
        try (PipeProbe pipe = new PipeProbe()) {
            ctx.registerChannel(pipe.source(), SelectionKey.OP_READ, pipe);
            ctx.poll(false);
            ContextCounters before = counters();

            pipe.write();
            ctx.poll(false);

            assertThat(pipe.runs).isEqualTo(1);
            assertThat(counters().channelRuns() - before.channelRuns()).isEqualTo(1);
        }
    }

    @Test
    void shouldElideWakeUpWhileLoopIsNotWaiting() throws Exception {
        BottomHalf bh = ctx.newBottomHalf("remote", new Runs());
        ContextCounters before = counters();

        await(others.submit(bh::schedule));
        ctx.poll(false);

        ContextCounters after = counters();
        assertThat(after.wakeUpsSent() - before.wakeUpsSent()).isZero();
        assertThat(after.wakeUpsElided() - before.wakeUpsElided()).isPositive();
    }
}
