package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.BlkFixture.DATA;
import static org.hvkit.block.virtio.blk.BlkFixture.HEADER;
import static org.hvkit.block.virtio.blk.BlkFixture.READ_BACK;
import static org.hvkit.block.virtio.blk.BlkFixture.STATUS;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_IOERR;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_UNSUPP;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.T_DISCARD;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.T_WRITE_ZEROES;
import static org.hvkit.block.virtio.blk.VirtioBlkRequestHandler.DEVICE_ERROR;
import static org.hvkit.block.virtio.blk.VirtioBlkRequestHandler.HANDLED;

import org.junit.jupiter.api.Test;

/** One test per malformed or refused request: the exact status, or a device error with nothing pushed. */
class VirtioBlkRequestErrorTest {

    private final BlkFixture f = BlkFixture.ram(64, false);
    private final BlkFixture readOnly = BlkFixture.ram(64, true);

    @Test
    void shouldReturnDeviceErrorWithoutAWritableBuffer() {
        f.header(VirtioBlkProtocol.T_IN, 0);

        assertThat(f.run(new long[] {HEADER}, new int[] {16}, 1)).isEqualTo(DEVICE_ERROR);

        assertThat(f.usedLength).isEqualTo(-1);
    }

    @Test
    void shouldReturnDeviceErrorWithoutAReadableBuffer() {
        assertThat(f.run(new long[] {READ_BACK, STATUS}, new int[] {512, 1}, 0)).isEqualTo(DEVICE_ERROR);

        assertThat(f.usedLength).isEqualTo(-1);
        assertThat(f.handler.inFlight()).isZero();
    }

    @Test
    void shouldReturnDeviceErrorForAHeaderShorterThan16Bytes() {
        f.header(VirtioBlkProtocol.T_FLUSH, 0);

        assertThat(f.run(new long[] {HEADER, HEADER + 8, STATUS}, new int[] {8, 7, 1}, 2)).isEqualTo(DEVICE_ERROR);

        assertThat(f.usedLength).isEqualTo(-1);
        assertThat(f.status()).isEqualTo(0xff);
    }

    @Test
    void shouldFailAReadPastTheCapacityWithIoerr() {
        assertThat(f.read(63, 1024)).isEqualTo(HANDLED);

        assertThat(f.status()).isEqualTo(S_IOERR);
        assertThat(f.usedLength).isEqualTo(1);
    }

    @Test
    void shouldFailASectorAtTheCapacityWithIoerr() {
        f.write(64, 512);

        assertThat(f.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailASectorRangeThatWouldOverflowWithIoerr() {
        f.read(-1L, 512);

        assertThat(f.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailALengthThatIsNotWholeSectorsWithIoerr() {
        f.read(0, 100);

        assertThat(f.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailASectorNotAlignedToTheBlockSizeWithIoerr() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 4096, 1, 8, 1, 8, 8, 1, true));

        g.read(1, 4096);

        assertThat(g.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailALengthThatIsNotWholeBlocksWithIoerr() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 4096, 1, 8, 1, 8, 8, 1, true));

        g.read(0, 512);

        assertThat(g.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailMoreDataSegmentsThanSegMaxWithIoerr() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 2, 512, 1, 8, 1, 1, 8, 1, true));

        g.read(0, 512, 512, 512);

        assertThat(g.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailAWriteToAReadOnlyDeviceWithIoerr() {
        readOnly.write(0, 512);

        assertThat(readOnly.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailADiscardOnAReadOnlyDeviceWithIoerr() {
        readOnly.ranges(T_DISCARD, new long[] {0, 1, 0});

        assertThat(readOnly.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailWriteZeroesOnAReadOnlyDeviceWithIoerr() {
        readOnly.ranges(T_WRITE_ZEROES, new long[] {0, 1, 0});

        assertThat(readOnly.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldAnswerAnUnknownTypeWithUnsupp() {
        assertThat(f.request(99, 0)).isEqualTo(HANDLED);

        assertThat(f.status()).isEqualTo(S_UNSUPP);
        assertThat(f.usedLength).isEqualTo(1);
    }

    @Test
    void shouldAnswerWriteZeroesWithFlagsOtherThanUnmapWithUnsupp() {
        f.ranges(T_WRITE_ZEROES, new long[] {0, 1, 2});

        assertThat(f.status()).isEqualTo(S_UNSUPP);
    }

    @Test
    void shouldAnswerADiscardWithUnmapWithUnsupp() {
        f.ranges(T_DISCARD, new long[] {0, 1, VirtioBlkProtocol.WRITE_ZEROES_FLAG_UNMAP});

        assertThat(f.status()).isEqualTo(S_UNSUPP);
    }

    @Test
    void shouldAnswerADiscardWithUnsuppWhenNotOffered() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 512, 1, 0, 0, 0, 8, 1, true));

        g.ranges(T_DISCARD, new long[] {0, 1, 0});

        assertThat(g.status()).isEqualTo(S_UNSUPP);
    }

    @Test
    void shouldAnswerMoreSegmentsThanTheLimitWithUnsupp() {
        f.ranges(T_DISCARD, new long[] {0, 1, 0}, new long[] {2, 1, 0});

        assertThat(f.status()).isEqualTo(S_UNSUPP);
    }

    @Test
    void shouldFailADiscardSegmentOverMaxSectorsWithIoerr() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 512, 1, 8, 1, 1, 8, 1, true));

        g.ranges(T_DISCARD, new long[] {0, 9, 0});

        assertThat(g.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailAWriteZeroesSegmentPastTheCapacityWithIoerr() {
        f.ranges(T_WRITE_ZEROES, new long[] {60, 5, 0});

        assertThat(f.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldFailAWriteZeroesSegmentWithAHugeSectorWithIoerr() {
        f.ranges(T_WRITE_ZEROES, new long[] {Long.MIN_VALUE, 1, 0});

        assertThat(f.status()).isEqualTo(S_IOERR);
    }

    @Test
    void shouldReturnDeviceErrorForADiscardPayloadThatIsNotWholeSegments() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 512, 1, 8, 2, 1, 8, 2, true));
        g.header(T_DISCARD, 0);

        assertThat(g.run(new long[] {HEADER, DATA, STATUS}, new int[] {16, 20, 1}, 2)).isEqualTo(DEVICE_ERROR);

        assertThat(g.usedLength).isEqualTo(-1);
    }

    @Test
    void shouldReturnDeviceErrorForADiscardWithoutSegments() {
        assertThat(f.request(T_DISCARD, 0)).isEqualTo(DEVICE_ERROR);
    }

    @Test
    void shouldLeaveTheFirstDiscardSegmentUndoneWhenALaterOneIsBad() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 512, 1, 8, 2, 1, 8, 2, true));
        g.fill(DATA + BlkFixture.CHUNK, 512, 0x21);
        g.header(VirtioBlkProtocol.T_OUT, 0);
        g.run(new long[] {HEADER, DATA + BlkFixture.CHUNK, STATUS}, new int[] {16, 512, 1}, 2);

        g.ranges(T_WRITE_ZEROES, new long[] {0, 1, 0}, new long[] {64, 1, 0});

        assertThat(g.status()).isEqualTo(S_IOERR);
        g.read(0, 512);
        assertThat(g.bytes(READ_BACK, 512)).containsOnly(0x21);
    }
}
