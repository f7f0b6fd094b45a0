package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.queue.RingFixture.EVENT_IDX;

import org.junit.jupiter.api.Test;

/** Notification suppression both ways, with flags and with event indices. */
class SplitVirtqueueNotificationTest {

    private static void complete(RingFixture f, int chains) {
        for (int i = 0; i < chains; i++) {
            f.submitOne();
            f.queue.push(f.queue.pop().head(), 0);
        }
        f.queue.publish();
    }

    @Test
    void shouldNotifyWhenTheDriverAllowsInterrupts() {
        RingFixture f = new RingFixture(8, 0);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotNotifyWhenAvailFlagsSayNoInterrupt() {
        RingFixture f = new RingFixture(8, 0);
        f.driver.enableInterrupts(false);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldNotNotifyWhenNothingWasPublished() {
        RingFixture f = new RingFixture(8, 0);

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldNotifyAfterAFullWrapOfPublishes() {
        // Nothing new is judged by "published since the last decision", not by index equality.
        RingFixture f = new RingFixture(1, 0);
        complete(f, 1);
        f.driver.pollUsed();
        f.queue.needsNotification();
        for (int i = 0; i < 65536; i++) {
            complete(f, 1);
            f.driver.pollUsed();
        }

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotNotifyTwiceForTheSamePublishedIndex() {
        RingFixture f = new RingFixture(8, 0);
        complete(f, 1);
        f.queue.needsNotification();

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldNotNotifyForPushesNotYetPublished() {
        RingFixture f = new RingFixture(8, 0);
        complete(f, 1);
        f.queue.needsNotification();
        f.submitOne();
        f.queue.push(f.queue.pop().head(), 0);

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldNotifyOnTheFirstPublishWithEventIdx() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        f.driver.setUsedEvent(100);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotifyWhenUsedIdxPassesUsedEvent() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        complete(f, 1);
        f.queue.needsNotification();
        f.driver.setUsedEvent(1);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotifyWhenABatchCrossesUsedEvent() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        complete(f, 1);
        f.queue.needsNotification();
        f.driver.setUsedEvent(2);
        complete(f, 3);

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotNotifyBeforeUsedIdxReachesUsedEvent() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        complete(f, 1);
        f.queue.needsNotification();
        f.driver.setUsedEvent(5);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldIgnoreAvailFlagsWithEventIdx() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        complete(f, 1);
        f.queue.needsNotification();
        f.memory.writeShort(f.layout.availFlags(), (short) VirtioRing.AVAIL_F_NO_INTERRUPT);
        f.driver.setUsedEvent(1);
        complete(f, 1);

        assertThat(f.queue.needsNotification()).isTrue();
    }

    @Test
    void shouldNotNotifyAfterTheDriverDisablesInterruptsWithEventIdx() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        complete(f, 1);
        f.queue.needsNotification();
        f.driver.pollUsed();
        f.driver.enableInterrupts(false);
        complete(f, 2);

        assertThat(f.queue.needsNotification()).isFalse();
    }

    @Test
    void shouldSetNoNotifyWhenGuestKicksAreDisabled() {
        RingFixture f = new RingFixture(8, 0);

        f.queue.enableGuestNotifications(false);
        f.submitOne();

        assertThat(f.driver.usedFlags()).isEqualTo(VirtioRing.USED_F_NO_NOTIFY);
        assertThat(f.driver.needsKick()).isFalse();
    }

    @Test
    void shouldClearNoNotifyWhenGuestKicksAreEnabled() {
        RingFixture f = new RingFixture(8, 0);
        f.queue.enableGuestNotifications(false);

        f.queue.enableGuestNotifications(true);
        f.submitOne();

        assertThat(f.driver.usedFlags()).isZero();
        assertThat(f.driver.needsKick()).isTrue();
    }

    @Test
    void shouldFindBuffersPublishedWhileKicksWereDisabled() {
        RingFixture f = new RingFixture(8, 0);
        f.queue.enableGuestNotifications(false);
        f.submitOne();

        assertThat(f.queue.enableGuestNotifications(true)).isTrue();
    }

    @Test
    void shouldFindNothingWhenEnablingKicksOnAnEmptyRing() {
        RingFixture f = new RingFixture(8, 0);
        f.queue.enableGuestNotifications(false);

        assertThat(f.queue.enableGuestNotifications(true)).isFalse();
    }

    @Test
    void shouldAskForAKickForTheNextBufferAfterAPopWithEventIdx() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        f.submitOne();
        f.driver.needsKick();
        f.queue.pop();

        assertThat(f.driver.availEvent()).isEqualTo(1);
        f.submitOne();
        assertThat(f.driver.needsKick()).isTrue();
    }

    @Test
    void shouldStopAdvancingAvailEventWhileKicksAreDisabled() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        f.queue.enableGuestNotifications(false);
        f.submitOne();
        f.driver.needsKick();
        f.queue.pop();
        f.submitOne();

        assertThat(f.driver.availEvent()).isZero();
        assertThat(f.driver.needsKick()).isFalse();
    }

    @Test
    void shouldWriteAvailEventAndRecheckWhenKicksAreEnabledWithEventIdx() {
        RingFixture f = new RingFixture(8, EVENT_IDX);
        f.queue.enableGuestNotifications(false);
        f.submitOne();
        f.submitOne();

        assertThat(f.queue.enableGuestNotifications(true)).isTrue();
        assertThat(f.driver.availEvent()).isEqualTo(2);
        assertThat(f.driver.usedFlags()).isZero();
    }

    @Test
    void shouldKickAcrossTheU16WrapWithEventIdx() {
        RingFixture f = new RingFixture(4, EVENT_IDX);
        for (int i = 0; i < 65535; i++) {
            complete(f, 1);
            f.driver.pollUsed();
        }
        f.driver.needsKick();

        f.submitOne();

        assertThat(f.driver.availEvent()).isEqualTo(0xffff);
        assertThat(f.driver.needsKick()).isTrue();
    }
}
