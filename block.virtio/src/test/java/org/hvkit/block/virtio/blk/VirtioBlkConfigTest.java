package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtioBlkConfigTest {

    private final VirtioBlkConfig config = new VirtioBlkConfig(0x1_2345_6789L, 65536, 126, 4096, 4,
            1000, 2, 8, 2000, 3, true);

    @Test
    void shouldReadCapacityAsU64AtOffsetZero() {
        assertThat(config.read(0, 8)).isEqualTo(0x1_2345_6789L);
        assertThat(config.read(0, 4)).isEqualTo(0x2345_6789L);
        assertThat(config.read(4, 4)).isEqualTo(1);
    }

    @Test
    void shouldReadSizeMaxAtOffset8() {
        assertThat(config.read(8, 4)).isEqualTo(65536);
    }

    @Test
    void shouldReadSegMaxAtOffset12() {
        assertThat(config.read(12, 4)).isEqualTo(126);
    }

    @Test
    void shouldReadGeometryAsZero() {
        assertThat(config.read(16, 4)).isZero();
    }

    @Test
    void shouldReadBlkSizeAtOffset20() {
        assertThat(config.read(20, 4)).isEqualTo(4096);
    }

    @Test
    void shouldReadTopologyAndWritebackAsZero() {
        assertThat(config.read(24, 8)).isZero();
        assertThat(config.read(32, 2)).isZero();
    }

    @Test
    void shouldReadNumQueuesAsU16AtOffset34() {
        assertThat(config.read(34, 2)).isEqualTo(4);
    }

    @Test
    void shouldReadDiscardLimitsAtOffsets36To44() {
        assertThat(config.read(36, 4)).isEqualTo(1000);
        assertThat(config.read(40, 4)).isEqualTo(2);
        assertThat(config.read(44, 4)).isEqualTo(8);
    }

    @Test
    void shouldReadWriteZeroesLimitsAtOffsets48To56() {
        assertThat(config.read(48, 4)).isEqualTo(2000);
        assertThat(config.read(52, 4)).isEqualTo(3);
        assertThat(config.read(56, 1)).isEqualTo(1);
        assertThat(config.read(57, 2)).isZero();
    }

    @Test
    void shouldReadSingleBytesLittleEndian() {
        assertThat(config.read(20, 1)).isZero();
        assertThat(config.read(21, 1)).isEqualTo(0x10);
        assertThat(config.read(35, 1)).isZero();
    }

    @Test
    void shouldReadAllOnesOutsideTheSpaceOrWithABadWidth() {
        assertThat(config.read(VirtioBlkConfig.SIZE, 1)).isEqualTo(0xff);
        assertThat(config.read(58, 4)).isEqualTo(0xffff_ffffL);
        assertThat(config.read(-1, 2)).isEqualTo(0xffff);
        assertThat(config.read(0, 3)).isEqualTo(-1L);
    }

    @Test
    void shouldUseQemuDefaults() {
        VirtioBlkConfig d = VirtioBlkConfig.defaults(1 << 20, 1, 128);

        assertThat(d.capacitySectors()).isEqualTo(2048);
        assertThat(d.segMax()).isEqualTo(126);
        assertThat(d.blkSize()).isEqualTo(512);
        assertThat(d.maxDiscardSeg()).isEqualTo(1);
        assertThat(d.maxWriteZeroesSectors()).isEqualTo(VirtioBlkConfig.MAX_REQUEST_SECTORS);
    }

    @Test
    void shouldRefuseABlockSizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new VirtioBlkConfig(8, 0, 1, 1536, 1, 0, 0, 0, 0, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
