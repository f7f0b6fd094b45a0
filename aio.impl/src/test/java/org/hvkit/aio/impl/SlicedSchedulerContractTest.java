package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.hvkit.aio.impl.Probes.RunLog;
import org.hvkit.aio.impl.Probes.Runs;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the sliced (lock-free, O(1)) scheduler, plus what only it
 * promises: LIFO order within a slice, slice depth, and no cost for unscheduled BHs.
 */
class SlicedSchedulerContractTest extends AioContextContractTest {

    @Override
    protected String scheduler() {
        return AioContextFactory.SLICED;
    }

    @Override
    protected BhQueue queueBeforePoll() {
        return BhQueue.INCOMING;
    }

    @Override
    protected BhQueue queueInRunningPoll() {
        return BhQueue.SLICE;
    }

    @Override
    protected int outermostSliceNumber() {
        return 1;
    }

    @Test
    void shouldRunSliceInLifoOrder() {
        RunLog log = new RunLog();
        scheduled("a", log.entry("a"));
        scheduled("b", log.entry("b"));
        scheduled("c", log.entry("c"));

        assertThat(ctx.poll(false)).isTrue();

        assertThat(log.order).containsExactly("c", "b", "a");
    }

    @Test
    void shouldListIncomingBhsInTheOrderTheLoopWillVisitThem() {
        scheduled("a", new Runs());
        scheduled("b", new Runs());

        assertThat(ctx.snapshot().pendingBottomHalves())
                .extracting(PendingBottomHalf::name)
                .containsExactly("b", "a");
    }

    @Test
    void shouldReportSliceDepthOfNestedPoll() {
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

        ctx.poll(false);

        assertThat(taken.get(0).sliceDepth()).isEqualTo(2);
        assertThat(ctx.snapshot().sliceDepth()).isZero();
        assertThat(ctx.snapshot().maxSliceDepth()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldCountTheSliceLoopOfAPollThatTookOneBh() {
        List<ContextSnapshot> taken = new ArrayList<>();
        scheduled("alone", () -> taken.add(ctx.snapshot()));

        ctx.poll(false);

        assertThat(taken.get(0).sliceDepth()).isEqualTo(1);
        assertThat(ctx.snapshot().sliceDepth()).isZero();
    }

    @Test
    void shouldRunWhatAFailedNestedPollLeftInTheSamePollWhenTheOuterTookOneBh() {
        RunLog log = new RunLog();
        List<BottomHalf> inner = new ArrayList<>();
        inner.add(ctx.newBottomHalf("a", log.entry("a")));
        inner.add(ctx.newBottomHalf("b", log.entry("b")));
        inner.add(ctx.newBottomHalf("c", () -> {
            log.order.add("c");
            throw new IllegalStateException("boom");
        }));
        scheduled("alone", () -> {
            inner.forEach(BottomHalf::schedule);
            // LIFO: the nested poll runs c first, which throws and leaves b and a in its slice.
            assertThatThrownBy(() -> ctx.poll(false)).hasMessage("boom");
        });

        assertThat(ctx.poll(false)).isTrue();

        assertThat(log.order).containsExactly("c", "b", "a");
        assertThat(ctx.poll(false)).isFalse();
    }

    @Test
    void shouldNotTrackCreatedBhs() {
        ctx.newBottomHalf("unscheduled", new Runs());

        assertThat(ctx.snapshot().createdBottomHalves()).isEqualTo(-1);
    }

    @Test
    void shouldLetGarbageCollectorTakeUnscheduledBh() throws InterruptedException {
        WeakReference<?> bh = newUnscheduledBottomHalf();

        awaitCollected(bh);

        assertThat(bh.get()).as("an unscheduled BH held by nothing but the test").isNull();
    }

    @Test
    void shouldDropARunOneshotsCallbackOnceTheLoopWaits() throws InterruptedException {
        WeakReference<?> callback = runOneshotOfItsOwn();

        waitForATimer(); // the loop sleeps: the spare oneshot must let its callback go first
        awaitCollected(callback);

        assertThat(callback.get()).as("the callback of a oneshot that ran, after the loop waited").isNull();
    }

    @Test
    void shouldDropTheCallbacksOfOneshotsRunAfterTheLastWaitToo() throws InterruptedException {
        runOneshotOfItsOwn();
        waitForATimer();
        WeakReference<?> second = runOneshotOfItsOwn(); // reuses the spare the first one left

        waitForATimer();
        awaitCollected(second);

        assertThat(second.get()).as("the callback of a oneshot run after the loop had waited once").isNull();
    }

    /**
     * Arms a timer 1 ms ahead and polls, blocking, until the loop has slept once. A poll
     * that begins after the timer is due does not sleep (a descheduled test thread makes
     * that happen), so the loop's count of waits tells when it did.
     */
    private void waitForATimer() {
        long waits = ctx.snapshot().counters().blockingWaits();
        for (int attempt = 0; ctx.snapshot().counters().blockingWaits() == waits; attempt++) {
            assertThat(attempt).as("polls that found the timer already due, without sleeping").isLessThan(100);
            ctx.newTimer(ClockType.REALTIME, "wake", new Runs()).modRelativeNanos(MS);
            ctx.poll(true);
        }
    }

    /** Asks for collections, up to 20 times 10 ms, until {@code ref} is cleared. */
    private static void awaitCollected(WeakReference<?> ref) throws InterruptedException {
        for (int attempt = 0; attempt < 20 && ref.get() != null; attempt++) {
            System.gc();
            Thread.sleep(10);
        }
    }

    /** Schedules a oneshot whose callback only its BH holds, and runs it. */
    private WeakReference<?> runOneshotOfItsOwn() {
        Runs callback = new Runs();
        ctx.scheduleOneshot("once", callback);
        assertThat(ctx.poll(false)).isTrue();
        assertThat(callback.count).isEqualTo(1);
        return new WeakReference<>(callback);
    }

    private WeakReference<?> newUnscheduledBottomHalf() {
        return new WeakReference<>(ctx.newBottomHalf("garbage", new Runs()));
    }
}
