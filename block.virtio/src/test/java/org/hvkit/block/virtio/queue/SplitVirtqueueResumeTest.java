package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A queue resumed at a ring position (vhost-user's SET_VRING_BASE) continues both rings from there. */
class SplitVirtqueueResumeTest {

    private final RingFixture f = new RingFixture(8, 0);

    private void serveOne(SplitVirtqueue q) {
        VirtqueueElement e = q.pop();
        assertThat(e).isNotNull();
        q.push(e.head(), 0);
        q.publish();
    }

    @Test
    void shouldTakeTheNextAvailableEntryAndContinueTheUsedRingAfterResuming() {
        for (int i = 0; i < 3; i++) {
            f.submitOne();
            serveOne(f.queue);
            assertThat(f.driver.pollUsed()).isNotNegative();
        }
        SplitVirtqueue resumed = new SplitVirtqueue(f.memory, f.layout, RingFixture.VERSION_1);

        resumed.resumeAt(3);
        int head = f.submitOne();

        VirtqueueElement e = resumed.pop();
        assertThat(e).isNotNull();
        assertThat(e.head()).isEqualTo(head);
        assertThat(resumed.lastAvailIdx()).isEqualTo(4);
        resumed.push(e.head(), 0);
        resumed.publish();
        assertThat(f.driver.pollUsed()).isEqualTo(head);
        assertThat(f.memory.readShort(f.layout.usedIdx())).isEqualTo((short) 4);
    }

    @Test
    void shouldFindNothingAvailableWhenResumedWhereTheDriverIs() {
        f.submitOne();
        serveOne(f.queue);
        SplitVirtqueue resumed = new SplitVirtqueue(f.memory, f.layout, RingFixture.VERSION_1);

        resumed.resumeAt(1);

        assertThat(resumed.pop()).isNull();
        assertThat(resumed.isBroken()).isFalse();
    }

    @Test
    void shouldKeepOnly16BitsOfTheIndex() {
        SplitVirtqueue resumed = new SplitVirtqueue(f.memory, f.layout, RingFixture.VERSION_1);

        resumed.resumeAt(0x1_0002);

        assertThat(resumed.lastAvailIdx()).isEqualTo(2);
        assertThat(resumed.usedIdx()).isEqualTo(2);
    }
}
