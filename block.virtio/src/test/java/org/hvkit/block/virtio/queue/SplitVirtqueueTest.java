package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hvkit.block.virtio.queue.RingFixture.DATA;
import static org.hvkit.block.virtio.queue.RingFixture.INDIRECT;
import static org.hvkit.block.virtio.queue.RingFixture.TABLE;

import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingFixture.Segment;
import org.junit.jupiter.api.Test;

class SplitVirtqueueTest {

    @Test
    void shouldRejectSizesThatAreNotPowersOfTwoUpTo32768() {
        for (int size : new int[] {0, -1, 3, 6, 100, 65536, 32769}) {
            assertThatThrownBy(() -> new RingLayout(size, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new RingLayout(1, 0, 0, 0).size()).isEqualTo(1);
        assertThat(new RingLayout(32768, 0, 0, 0).size()).isEqualTo(32768);
    }

    @Test
    void shouldReturnNullFromAnEmptyRing() {
        RingFixture f = new RingFixture(8, 0);

        assertThat(f.queue.pop()).isNull();
        assertThat(f.queue.isBroken()).isFalse();
    }

    @Test
    void shouldPopADirectChainWithItsSegments() {
        RingFixture f = new RingFixture(8, 0);
        int head = f.driver.addChain(new long[] {DATA, DATA + 0x1000, DATA + 0x2000},
                new int[] {16, 4096, 1}, 2);
        f.driver.publish();

        VirtqueueElement e = f.queue.pop();

        assertThat(e.head()).isEqualTo(head);
        assertThat(RingFixture.readable(e)).containsExactly(new Segment(DATA, 16), new Segment(DATA + 0x1000, 4096));
        assertThat(RingFixture.writable(e)).containsExactly(new Segment(DATA + 0x2000, 1));
        assertThat(e.readableBytes()).isEqualTo(4112);
        assertThat(e.writableBytes()).isEqualTo(1);
    }

    @Test
    void shouldPopAnIndirectChainWithItsSegments() {
        RingFixture f = new RingFixture(8, INDIRECT);
        int head = f.driver.addIndirectChain(TABLE, new long[] {DATA, DATA + 0x1000, DATA + 0x3000},
                new int[] {16, 8192, 1}, 1);
        f.driver.publish();

        VirtqueueElement e = f.queue.pop();

        assertThat(e.head()).isEqualTo(head);
        assertThat(RingFixture.readable(e)).containsExactly(new Segment(DATA, 16));
        assertThat(RingFixture.writable(e))
                .containsExactly(new Segment(DATA + 0x1000, 8192), new Segment(DATA + 0x3000, 1));
    }

    @Test
    void shouldFollowDirectDescriptorsIntoATrailingIndirectTable() {
        RingFixture f = new RingFixture(8, INDIRECT);
        f.driver.writeDescriptor(2, DATA, 16, VirtioRing.DESC_F_NEXT, 5);
        f.driver.writeDescriptor(5, TABLE, 16, VirtioRing.DESC_F_INDIRECT, 0);
        f.memory.writeLong(TABLE, DATA + 0x1000);
        f.memory.writeInt(TABLE + 8, 512);
        f.memory.writeShort(TABLE + 12, (short) VirtioRing.DESC_F_WRITE);
        f.driver.offer(2);
        f.driver.publish();

        VirtqueueElement e = f.queue.pop();

        assertThat(RingFixture.readable(e)).containsExactly(new Segment(DATA, 16));
        assertThat(RingFixture.writable(e)).containsExactly(new Segment(DATA + 0x1000, 512));
    }

    @Test
    void shouldReportLengthsAsUnsigned32BitValues() {
        // A 3 GiB guest buffer is too big for a unit test; the element's accessors are what matter.
        VirtqueueElement e = new VirtqueueElement(1);
        e.clear(0);
        e.add(0x1000, 0xc000_0000L, true);

        assertThat(e.writableLength(0)).isEqualTo(0xc000_0000L);
        assertThat(e.writableBytes()).isEqualTo(0xc000_0000L);
    }

    @Test
    void shouldMakePushedElementsVisibleOnlyOnPublish() {
        RingFixture f = new RingFixture(8, 0);
        int head = f.submitOne();
        VirtqueueElement e = f.queue.pop();

        f.queue.push(e.head(), 77);
        assertThat(f.driver.pollUsed()).isEqualTo(-1);
        f.queue.publish();

        assertThat(f.driver.pollUsed()).isEqualTo(head);
        assertThat(f.driver.lastUsedLength()).isEqualTo(77);
    }

    @Test
    void shouldCountChainsInFlight() {
        RingFixture f = new RingFixture(8, 0);
        f.submitOne();
        f.submitOne();
        f.submitOne();

        int a = f.queue.pop().head();
        int b = f.queue.pop().head();
        assertThat(f.queue.inFlight()).isEqualTo(2);
        f.queue.push(a, 0);
        assertThat(f.queue.inFlight()).isEqualTo(1);
        f.queue.pop();
        f.queue.push(b, 0);

        assertThat(f.queue.inFlight()).isEqualTo(1);
        assertThat(f.queue.lastAvailIdx()).isEqualTo(3);
        assertThat(f.queue.usedIdx()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAPushWithNothingInFlight() {
        RingFixture f = new RingFixture(8, 0);

        assertThatThrownBy(() -> f.queue.push(0, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.queue.push(8, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldWrapTheU16IndicesPast65536() {
        RingFixture f = new RingFixture(4, 0);
        for (int i = 0; i < 70_000; i++) {
            int head = f.driver.addChain(new long[] {DATA + i % 4 * 512}, new int[] {512}, 0);
            f.driver.publish();
            VirtqueueElement e = f.queue.pop();
            assertThat(e.head()).isEqualTo(head);
            f.queue.push(e.head(), i);
            f.queue.publish();
            assertThat(f.driver.pollUsed()).isEqualTo(head);
            assertThat(f.driver.lastUsedLength()).isEqualTo(i);
        }

        assertThat(f.queue.lastAvailIdx()).isEqualTo(70_000 & 0xffff);
        assertThat(f.queue.usedIdx()).isEqualTo(70_000 & 0xffff);
        assertThat(f.queue.isBroken()).isFalse();
    }

    @Test
    void shouldTakeAFullRingAcrossTheWrap() {
        // Run both sides to index 65534, then fill the ring so it straddles 65535 -> 0.
        RingFixture f = new RingFixture(4, 0);
        for (int i = 0; i < 65534 / 2; i++) {
            f.driver.addChain(new long[] {DATA}, new int[] {8}, 1);
            f.driver.addChain(new long[] {DATA}, new int[] {8}, 1);
            f.driver.publish();
            f.queue.push(f.queue.pop().head(), 0);
            f.queue.push(f.queue.pop().head(), 0);
            f.queue.publish();
            f.driver.pollUsed();
            f.driver.pollUsed();
        }
        for (int i = 0; i < 4; i++) {
            f.driver.addChain(new long[] {DATA + 64L * i}, new int[] {8}, 1);
        }
        f.driver.publish();

        for (int i = 0; i < 4; i++) {
            assertThat(f.queue.pop()).isNotNull();
        }
        assertThat(f.queue.pop()).isNull();
        assertThat(f.queue.lastAvailIdx()).isEqualTo(2);
        assertThat(f.queue.isBroken()).isFalse();
    }

    @Test
    void shouldPopIntoACallersElement() {
        RingFixture f = new RingFixture(8, 0);
        int first = f.submitOne();
        int second = f.submitOne();
        VirtqueueElement a = new VirtqueueElement(8);
        VirtqueueElement b = new VirtqueueElement(8);

        assertThat(f.queue.pop(a)).isSameAs(a);
        assertThat(f.queue.pop(b)).isSameAs(b);
        assertThat(a.head()).isEqualTo(first);
        assertThat(b.head()).isEqualTo(second);
    }

    @Test
    void shouldReuseTheSameElementForEveryPop() {
        RingFixture f = new RingFixture(8, 0);
        f.submitOne();
        f.submitOne();

        assertThat(f.queue.pop()).isSameAs(f.queue.pop());
    }

    @Test
    void shouldStartBrokenWhenTheRingsAreOutsideRam() {
        GuestMemory memory = GuestMemory.allocate(0x10000, 0x1000);

        SplitVirtqueue q = new SplitVirtqueue(memory, RingLayout.contiguous(0x10800, 256), 0);

        assertThat(q.isBroken()).isTrue();
        assertThat(q.pop()).isNull();
    }

    @Test
    void shouldStartBrokenWhenTheUsedRingOverlapsTheAvailRing() {
        GuestMemory memory = GuestMemory.allocate(0x10000, 0x1000);
        // used->ring[0].len lands on avail->idx: every push would publish more heads.
        RingLayout layout = new RingLayout(8, 0x10000, 0x10200, 0x10200 + 2 - 8);

        SplitVirtqueue q = new SplitVirtqueue(memory, layout, 0);

        assertThat(q.isBroken()).isTrue();
        assertThat(q.brokenReason()).isEqualTo(SplitVirtqueue.USED_RING_OVERLAPS);
        assertThat(q.pop()).isNull();
    }

    @Test
    void shouldStartBrokenWhenTheUsedRingOverlapsTheDescriptorTable() {
        GuestMemory memory = GuestMemory.allocate(0x10000, 0x1000);

        SplitVirtqueue q = new SplitVirtqueue(memory, new RingLayout(8, 0x10000, 0x10200, 0x10040), 0);

        assertThat(q.brokenReason()).isEqualTo(SplitVirtqueue.USED_RING_OVERLAPS);
    }

    @Test
    void shouldServeAgainAfterReset() {
        RingFixture f = new RingFixture(8, 0);
        f.driver.offer(9);
        f.driver.publish();
        assertThat(f.queue.pop()).isNull();
        assertThat(f.queue.isBroken()).isTrue();

        f.queue.reset();
        // The guest re-initialises its ring after the device reset, as a driver does.
        DriverRing driver = new DriverRing(f.memory, f.layout, 0);
        int head = driver.addChain(new long[] {DATA}, new int[] {8}, 1);
        driver.publish();

        assertThat(f.queue.isBroken()).isFalse();
        assertThat(f.queue.pop().head()).isEqualTo(head);
    }
}
