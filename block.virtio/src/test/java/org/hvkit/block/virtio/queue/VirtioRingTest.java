package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtioRingTest {

    @Test
    void shouldNeedAnEventWhenTheIndexPassesIt() {
        assertThat(VirtioRing.needEvent(5, 6, 5)).isTrue();
        assertThat(VirtioRing.needEvent(5, 9, 3)).isTrue();
    }

    @Test
    void shouldNotNeedAnEventBeforeTheIndexReachesIt() {
        assertThat(VirtioRing.needEvent(5, 5, 3)).isFalse();
        assertThat(VirtioRing.needEvent(10, 9, 3)).isFalse();
    }

    @Test
    void shouldNotNeedAnEventAlreadyPassedBefore() {
        assertThat(VirtioRing.needEvent(2, 9, 3)).isFalse();
    }

    @Test
    void shouldNotNeedAnEventWhenTheIndexDidNotMove() {
        assertThat(VirtioRing.needEvent(3, 3, 3)).isFalse();
    }

    @Test
    void shouldNeedAnEventAcrossTheU16Wrap() {
        assertThat(VirtioRing.needEvent(0xffff, 1, 0xfffe)).isTrue();
        assertThat(VirtioRing.needEvent(0, 2, 0xfffe)).isTrue();
        assertThat(VirtioRing.needEvent(3, 2, 0xfffe)).isFalse();
    }
}
