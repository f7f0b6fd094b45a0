package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.VirtioBlkFeatures.bit;

import org.junit.jupiter.api.Test;

class VirtioBlkFeaturesTest {

    @Test
    void shouldOfferTheBaseFeaturesForASingleQueueDefaultDisk() {
        long f = VirtioBlkFeatures.offered(VirtioBlkConfig.defaults(1 << 20, 1, 128), false);

        assertThat(f).isEqualTo(bit(VirtioBlkFeatures.VERSION_1) | bit(VirtioBlkFeatures.RING_EVENT_IDX)
                | bit(VirtioBlkFeatures.RING_INDIRECT_DESC) | bit(VirtioBlkFeatures.BLK_SIZE)
                | bit(VirtioBlkFeatures.SEG_MAX) | bit(VirtioBlkFeatures.FLUSH) | bit(VirtioBlkFeatures.DISCARD)
                | bit(VirtioBlkFeatures.WRITE_ZEROES));
    }

    @Test
    void shouldOfferMqWithSeveralQueues() {
        long f = VirtioBlkFeatures.offered(VirtioBlkConfig.defaults(1 << 20, 4, 128), false);

        assertThat(VirtioBlkFeatures.has(f, VirtioBlkFeatures.MQ)).isTrue();
    }

    @Test
    void shouldOfferRoWhenReadOnly() {
        long f = VirtioBlkFeatures.offered(VirtioBlkConfig.defaults(1 << 20, 1, 128), true);

        assertThat(VirtioBlkFeatures.has(f, VirtioBlkFeatures.RO)).isTrue();
    }

    @Test
    void shouldOfferSizeMaxOnlyWithALimitAndNoDiscardWithoutOne() {
        VirtioBlkConfig c = new VirtioBlkConfig(8, 4096, 1, 512, 1, 0, 0, 0, 0, 0, false);

        long f = VirtioBlkFeatures.offered(c, false);

        assertThat(VirtioBlkFeatures.has(f, VirtioBlkFeatures.SIZE_MAX)).isTrue();
        assertThat(VirtioBlkFeatures.has(f, VirtioBlkFeatures.DISCARD)).isFalse();
        assertThat(VirtioBlkFeatures.has(f, VirtioBlkFeatures.WRITE_ZEROES)).isFalse();
    }
}
