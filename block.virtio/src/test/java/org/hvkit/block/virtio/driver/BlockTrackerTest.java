package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockTrackerTest {

    private final BlockTracker tracker = new BlockTracker(130);

    @Test
    void shouldStartWithNothingWrittenAndNothingBusy() {
        assertThat(tracker.generation(129)).isZero();
        assertThat(tracker.findIdle(129)).isEqualTo(129);
        assertThat(tracker.nextWritten(0)).isEqualTo(-1);
    }

    @Test
    void shouldFindTheNextIdleBlockWrappingAround() {
        tracker.setBusy(128);
        tracker.setBusy(129);

        assertThat(tracker.findIdle(128)).isZero();
    }

    @Test
    void shouldFindNoIdleBlockWhenAllAreBusy() {
        for (int b = 0; b < 130; b++) {
            tracker.setBusy(b);
        }
        tracker.clearBusy(64);

        assertThat(tracker.findIdle(65)).isEqualTo(64);
        tracker.setBusy(64);
        assertThat(tracker.findIdle(0)).isEqualTo(-1);
    }

    @Test
    void shouldKeepBusyBitsOfNeighbouringBlocksApart() {
        tracker.setBusy(63);
        tracker.setBusy(64);
        tracker.clearBusy(63);

        assertThat(tracker.isBusy(63)).isFalse();
        assertThat(tracker.isBusy(64)).isTrue();
    }

    @Test
    void shouldHandOutIncreasingPositiveGenerations() {
        assertThat(tracker.nextGeneration()).isEqualTo(1);
        assertThat(tracker.nextGeneration()).isEqualTo(2);
    }

    @Test
    void shouldSkipBlocksNeverWrittenOrLostWhenReadingBack() {
        tracker.written(3, 7);
        tracker.written(5, 8);
        tracker.lost(5);
        tracker.written(9, 9);

        assertThat(tracker.nextWritten(0)).isEqualTo(3);
        assertThat(tracker.nextWritten(4)).isEqualTo(9);
        assertThat(tracker.generation(5)).isEqualTo(BlockTracker.UNKNOWN);
    }
}
