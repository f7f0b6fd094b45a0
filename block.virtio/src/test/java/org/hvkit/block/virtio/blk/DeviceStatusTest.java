package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.DeviceStatus.ACKNOWLEDGE;
import static org.hvkit.block.virtio.blk.DeviceStatus.DRIVER;
import static org.hvkit.block.virtio.blk.DeviceStatus.DRIVER_OK;
import static org.hvkit.block.virtio.blk.DeviceStatus.FAILED;
import static org.hvkit.block.virtio.blk.DeviceStatus.FEATURES_OK;
import static org.hvkit.block.virtio.blk.DeviceStatus.NEEDS_RESET;
import static org.hvkit.block.virtio.blk.VirtioBlkFeatures.bit;

import org.hvkit.block.virtio.blk.DeviceStatus.WriteResult;
import org.junit.jupiter.api.Test;

class DeviceStatusTest {

    private static final long OFFERED = bit(VirtioBlkFeatures.VERSION_1) | bit(VirtioBlkFeatures.FLUSH)
            | bit(VirtioBlkFeatures.BLK_SIZE);

    private final DeviceStatus status = new DeviceStatus(OFFERED);

    private void negotiate(long features) {
        status.write(ACKNOWLEDGE);
        status.write(ACKNOWLEDGE | DRIVER);
        status.writeDriverFeatures(features);
    }

    @Test
    void shouldStartAtZero() {
        assertThat(status.read()).isZero();
        assertThat(status.isLive()).isFalse();
    }

    @Test
    void shouldAcceptFeaturesOkForAnOfferedSubsetWithVersion1() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1) | bit(VirtioBlkFeatures.FLUSH));

        assertThat(status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK)).isEqualTo(WriteResult.ACCEPTED);

        assertThat(status.read()).isEqualTo(ACKNOWLEDGE | DRIVER | FEATURES_OK);
        assertThat(status.negotiated()).isEqualTo(bit(VirtioBlkFeatures.VERSION_1) | bit(VirtioBlkFeatures.FLUSH));
    }

    @Test
    void shouldRefuseFeaturesOkForAFeatureNotOffered() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1) | bit(VirtioBlkFeatures.DISCARD));

        assertThat(status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK)).isEqualTo(WriteResult.FEATURES_REFUSED);

        assertThat(status.read()).isEqualTo(ACKNOWLEDGE | DRIVER);
        assertThat(status.negotiated()).isZero();
    }

    @Test
    void shouldRefuseFeaturesOkWithoutVersion1() {
        negotiate(bit(VirtioBlkFeatures.FLUSH));

        assertThat(status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK)).isEqualTo(WriteResult.FEATURES_REFUSED);

        assertThat(status.read() & FEATURES_OK).isZero();
    }

    @Test
    void shouldIgnoreDriverFeaturesWrittenAfterFeaturesOk() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK);

        assertThat(status.writeDriverFeatures(OFFERED)).isFalse();

        assertThat(status.negotiated()).isEqualTo(bit(VirtioBlkFeatures.VERSION_1));
    }

    @Test
    void shouldGoLiveOnDriverOkAfterFeaturesOk() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK);

        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);

        assertThat(status.isLive()).isTrue();
    }

    @Test
    void shouldNotGoLiveOnDriverOkWithoutFeaturesOk() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));

        status.write(ACKNOWLEDGE | DRIVER | DRIVER_OK);

        assertThat(status.read()).isEqualTo(ACKNOWLEDGE | DRIVER | DRIVER_OK);
        assertThat(status.isLive()).isFalse();
    }

    @Test
    void shouldKeepBitsADriverTriesToClear() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK);

        status.write(ACKNOWLEDGE);

        assertThat(status.read()).isEqualTo(ACKNOWLEDGE | DRIVER | FEATURES_OK);
    }

    @Test
    void shouldNotLetTheDriverSetNeedsReset() {
        status.write(ACKNOWLEDGE | NEEDS_RESET);

        assertThat(status.read()).isEqualTo(ACKNOWLEDGE);
    }

    @Test
    void shouldAskForAConfigChangeNotificationOnceWhenALiveDeviceNeedsReset() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);

        assertThat(status.markNeedsReset()).isTrue();
        assertThat(status.markNeedsReset()).isFalse();
        assertThat(status.read() & NEEDS_RESET).isEqualTo(NEEDS_RESET);
        assertThat(status.isLive()).isFalse();
    }

    @Test
    void shouldStopBeingLiveWhenTheDriverSetsFailed() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);

        status.write(FAILED);

        assertThat(status.isLive()).isFalse();
    }

    @Test
    void shouldResetEverythingOnZero() {
        negotiate(bit(VirtioBlkFeatures.VERSION_1));
        status.write(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        status.markNeedsReset();

        assertThat(status.write(0)).isEqualTo(WriteResult.RESET);

        assertThat(status.read()).isZero();
        assertThat(status.driverFeatures()).isZero();
        assertThat(status.writeDriverFeatures(bit(VirtioBlkFeatures.VERSION_1))).isTrue();
    }
}
