package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SectorRangeTest {

    @Test
    void shouldAcceptARangeEndingAtTheCapacity() {
        assertThat(SectorRange.ok(60, 4 * 512, 64, 512)).isTrue();
    }

    @Test
    void shouldAcceptAnEmptyRangeAtTheCapacity() {
        assertThat(SectorRange.ok(64, 0, 64, 512)).isTrue();
    }

    @Test
    void shouldRefuseARangeOneSectorPastTheCapacity() {
        assertThat(SectorRange.ok(61, 4 * 512, 64, 512)).isFalse();
    }

    @Test
    void shouldRefuseSectorsThatAreNegativeAsSigned() {
        assertThat(SectorRange.ok(-1L, 512, 64, 512)).isFalse();
        assertThat(SectorRange.ok(Long.MIN_VALUE, 0, 64, 512)).isFalse();
    }

    @Test
    void shouldRefuseMoreThanOneRequestMayCover() {
        long total = 1L << 40;

        assertThat(SectorRange.ok(0, (VirtioBlkConfig.MAX_REQUEST_SECTORS + 1L) * 512, total, 512)).isFalse();
        assertThat(SectorRange.ok(0, (long) VirtioBlkConfig.MAX_REQUEST_SECTORS * 512, total, 512)).isTrue();
    }

    @Test
    void shouldRefuseASectorNotAlignedToTheBlock() {
        assertThat(SectorRange.ok(4, 4096, 64, 4096)).isFalse();
        assertThat(SectorRange.ok(8, 4096, 64, 4096)).isTrue();
    }
}
