package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.hvkit.block.virtio.queue.RingFixture.DATA;
import static org.hvkit.block.virtio.queue.RingFixture.INDIRECT;
import static org.hvkit.block.virtio.queue.RingFixture.RAM_END;
import static org.hvkit.block.virtio.queue.RingFixture.TABLE;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_INDIRECT;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_NEXT;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_WRITE;

import org.junit.jupiter.api.Test;

/** One malformed-ring rule per test: each makes the queue BROKEN, with nothing thrown. */
class SplitVirtqueueValidationTest {

    private static final int SIZE = 8;

    private final RingFixture f = new RingFixture(SIZE, INDIRECT);

    /** Publishes head 0 and pops: the chain in descriptor 0 is what the test wrote. */
    private void offerHeadZeroAndExpectBroken(String reason) {
        f.driver.offer(0);
        f.driver.publish();
        expectBroken(reason);
    }

    private void expectBroken(String reason) {
        assertThatCode(() -> assertThat(f.queue.pop()).isNull()).doesNotThrowAnyException();
        assertThat(f.queue.isBroken()).isTrue();
        assertThat(f.queue.brokenReason()).isEqualTo(reason);
        // Still nothing after a valid chain arrives: BROKEN sticks until reset.
        f.submitOne();
        assertThat(f.queue.pop()).isNull();
    }

    /** Writes indirect table entry {@code i} at {@link RingFixture#TABLE}. */
    private void tableEntry(int i, long addr, int len, int flags, int next) {
        long at = TABLE + 16L * i;
        f.memory.writeLong(at, addr);
        f.memory.writeInt(at + 8, len);
        f.memory.writeShort(at + 12, (short) flags);
        f.memory.writeShort(at + 14, (short) next);
    }

    @Test
    void shouldBreakOnAHeadIndexBeyondTheSize() {
        f.driver.offer(SIZE);
        f.driver.publish();

        expectBroken(SplitVirtqueue.HEAD_OUT_OF_RANGE);
    }

    @Test
    void shouldBreakWhenAvailIdxRunsMoreThanTheSizeAhead() {
        f.driver.setAvailIdx(SIZE + 1);

        expectBroken(SplitVirtqueue.AVAIL_IDX_RAN_AHEAD);
    }

    @Test
    void shouldBreakWhenAvailIdxMovesBackwards() {
        f.driver.setAvailIdx(0xffff);

        expectBroken(SplitVirtqueue.AVAIL_IDX_RAN_AHEAD);
    }

    @Test
    void shouldBreakWhenMoreHeadsAreInUseThanTheSize() {
        // CVE-2016-5403: the guest re-offers heads the device has not completed.
        for (int i = 0; i < SIZE; i++) {
            f.driver.writeDescriptor(i, DATA, 8, 0, 0);
            f.driver.offer(i);
        }
        f.driver.publish();
        for (int i = 0; i < SIZE; i++) {
            assertThat(f.queue.pop()).isNotNull();
        }
        f.driver.offer(0);
        f.driver.publish();

        expectBroken(SplitVirtqueue.TOO_MANY_IN_FLIGHT);
    }

    @Test
    void shouldBreakOnALoopInTheDescriptorTable() {
        f.driver.writeDescriptor(0, DATA, 8, DESC_F_NEXT, 1);
        f.driver.writeDescriptor(1, DATA, 8, DESC_F_NEXT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.LOOP);
    }

    @Test
    void shouldBreakOnADescriptorPointingAtItself() {
        f.driver.writeDescriptor(0, DATA, 8, DESC_F_NEXT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.LOOP);
    }

    @Test
    void shouldBreakOnALoopInAnIndirectTable() {
        tableEntry(0, DATA, 8, DESC_F_NEXT, 1);
        tableEntry(1, DATA, 8, DESC_F_NEXT, 0);
        f.driver.writeDescriptor(0, TABLE, 32, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.LOOP);
    }

    @Test
    void shouldBreakOnAnIndirectChainLongerThanTheQueueSize() {
        for (int i = 0; i <= SIZE; i++) {
            tableEntry(i, DATA, 8, i < SIZE ? DESC_F_NEXT : 0, i + 1);
        }
        f.driver.writeDescriptor(0, TABLE, 16 * (SIZE + 1), DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.TOO_LONG);
    }

    @Test
    void shouldBreakOnANextIndexBeyondTheSize() {
        f.driver.writeDescriptor(0, DATA, 8, DESC_F_NEXT, SIZE);

        offerHeadZeroAndExpectBroken(ChainParser.NEXT_OUT_OF_RANGE);
    }

    @Test
    void shouldBreakOnANextIndexBeyondTheIndirectTable() {
        tableEntry(0, DATA, 8, DESC_F_NEXT, 2);
        f.driver.writeDescriptor(0, TABLE, 32, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.NEXT_OUT_OF_RANGE);
    }

    @Test
    void shouldBreakOnAnIndirectTableOfLengthZero() {
        f.driver.writeDescriptor(0, TABLE, 0, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.INDIRECT_BAD_LENGTH);
    }

    @Test
    void shouldBreakOnAnIndirectTableLengthNotAMultipleOf16() {
        tableEntry(0, DATA, 8, 0, 0);
        f.driver.writeDescriptor(0, TABLE, 24, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.INDIRECT_BAD_LENGTH);
    }

    @Test
    void shouldBreakOnANestedIndirectDescriptor() {
        tableEntry(0, TABLE + 0x100, 16, DESC_F_INDIRECT, 0);
        tableEntry(16, DATA, 8, 0, 0);
        f.driver.writeDescriptor(0, TABLE, 16, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.INDIRECT_NESTED);
    }

    @Test
    void shouldBreakOnIndirectTogetherWithNext() {
        tableEntry(0, DATA, 8, 0, 0);
        f.driver.writeDescriptor(0, TABLE, 16, DESC_F_INDIRECT | DESC_F_NEXT, 1);
        f.driver.writeDescriptor(1, DATA, 8, 0, 0);

        offerHeadZeroAndExpectBroken(ChainParser.INDIRECT_WITH_NEXT);
    }

    @Test
    void shouldBreakOnAnIndirectTableOutsideRam() {
        f.driver.writeDescriptor(0, RAM_END - 16, 32, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.INDIRECT_OUTSIDE_RAM);
    }

    @Test
    void shouldBreakOnAnIndirectDescriptorWhenTheFeatureIsNotNegotiated() {
        RingFixture direct = new RingFixture(SIZE, 0);
        direct.memory.writeLong(TABLE, DATA);
        direct.memory.writeInt(TABLE + 8, 8);
        direct.driver.writeDescriptor(0, TABLE, 16, DESC_F_INDIRECT, 0);
        direct.driver.offer(0);
        direct.driver.publish();

        assertThat(direct.queue.pop()).isNull();
        assertThat(direct.queue.brokenReason()).isEqualTo(ChainParser.INDIRECT_NOT_NEGOTIATED);
    }

    @Test
    void shouldBreakOnAReadableDescriptorAfterAWritableOne() {
        f.driver.writeDescriptor(0, DATA, 8, DESC_F_WRITE | DESC_F_NEXT, 1);
        f.driver.writeDescriptor(1, DATA + 8, 8, 0, 0);

        offerHeadZeroAndExpectBroken(ChainParser.WRONG_ORDER);
    }

    @Test
    void shouldBreakOnAReadableDescriptorAfterAWritableOneInAnIndirectTable() {
        tableEntry(0, DATA, 8, DESC_F_WRITE | DESC_F_NEXT, 1);
        tableEntry(1, DATA + 8, 8, 0, 0);
        f.driver.writeDescriptor(0, TABLE, 32, DESC_F_INDIRECT, 0);

        offerHeadZeroAndExpectBroken(ChainParser.WRONG_ORDER);
    }

    @Test
    void shouldBreakOnAZeroLengthBuffer() {
        // CVE-2016-6490
        f.driver.writeDescriptor(0, DATA, 8, DESC_F_NEXT, 1);
        f.driver.writeDescriptor(1, DATA, 0, DESC_F_WRITE, 0);

        offerHeadZeroAndExpectBroken(ChainParser.ZERO_LENGTH);
    }

    @Test
    void shouldBreakOnAChainOf4GiBOrMore() {
        // CVE-2016-7422: the total is checked before the (also failing) RAM check, overflow-free.
        f.driver.writeDescriptor(0, DATA, 0x1000, DESC_F_NEXT, 1);
        f.driver.writeDescriptor(1, DATA, -1, 0, 0);

        offerHeadZeroAndExpectBroken(ChainParser.TOO_MANY_BYTES);
    }

    @Test
    void shouldBreakOnABufferCrossingTheEndOfRam() {
        f.driver.writeDescriptor(0, RAM_END - 8, 16, 0, 0);

        offerHeadZeroAndExpectBroken(ChainParser.BUFFER_OUTSIDE_RAM);
    }

    @Test
    void shouldBreakOnABufferWhoseEndOverflowsTheAddressSpace() {
        f.driver.writeDescriptor(0, -0x1000L, 0x2000, 0, 0);

        offerHeadZeroAndExpectBroken(ChainParser.BUFFER_OUTSIDE_RAM);
    }

    @Test
    void shouldBreakOnABufferBelowRam() {
        f.driver.writeDescriptor(0, 0, 16, DESC_F_WRITE, 0);

        offerHeadZeroAndExpectBroken(ChainParser.BUFFER_OUTSIDE_RAM);
    }

    @Test
    void shouldIgnorePushAndPublishOnceBroken() {
        int head = f.submitOne();
        f.queue.pop();
        f.driver.offer(SIZE);
        f.driver.publish();
        assertThat(f.queue.pop()).isNull();

        f.queue.push(head, 4);
        f.queue.publish();

        assertThat(f.driver.pollUsed()).isEqualTo(-1);
        assertThat(f.queue.needsNotification()).isFalse();
        assertThat(f.queue.enableGuestNotifications(true)).isFalse();
    }
}
