package org.hvkit.block.virtio.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoVectorTest {

    @Test
    void shouldSumSegmentLengthsWithoutOverflow() {
        IoVector iov = new IoVector(4);
        for (int i = 0; i < 4; i++) {
            iov.add(i, 0xffff_ffffL);
        }

        assertThat(iov.size()).isEqualTo(4 * 0xffff_ffffL);
    }

    @Test
    void shouldRefuseASegmentPastItsCapacity() {
        IoVector iov = new IoVector(1);
        iov.add(0, 1);

        assertThat(iov.add(8, 1)).isFalse();
        assertThat(iov.count()).isEqualTo(1);
    }

    @Test
    void shouldSkipZeroLengthSegments() {
        IoVector iov = new IoVector(1);

        assertThat(iov.add(0, 0)).isTrue();
        assertThat(iov.count()).isZero();
    }
}
