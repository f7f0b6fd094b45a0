package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.BlkFixture.CHUNK;
import static org.hvkit.block.virtio.blk.BlkFixture.DATA;
import static org.hvkit.block.virtio.blk.BlkFixture.HEADER;
import static org.hvkit.block.virtio.blk.BlkFixture.READ_BACK;
import static org.hvkit.block.virtio.blk.BlkFixture.STATUS;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_OK;
import static org.hvkit.block.virtio.blk.VirtioBlkRequestHandler.HANDLED;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hvkit.block.virtio.backend.NullBackend;
import org.junit.jupiter.api.Test;

/** Requests that succeed. Errors are in {@link VirtioBlkRequestErrorTest}. */
class VirtioBlkRequestHandlerTest {

    private final BlkFixture f = BlkFixture.ram(64, false);

    @Test
    void shouldReadBackWhatWasWrittenWithMultiSegmentBuffers() {
        f.fill(DATA, 512, 0x11);
        f.fill(DATA + CHUNK, 1024, 0x22);
        f.write(8, 512, 1024);

        assertThat(f.read(8, 1024, 512)).isEqualTo(HANDLED);

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.bytes(READ_BACK, 512)).containsOnly(0x11);
        assertThat(f.bytes(READ_BACK + 512, 512)).containsOnly(0x22);
        assertThat(f.bytes(READ_BACK + CHUNK, 512)).containsOnly(0x22);
    }

    @Test
    void shouldWriteOkAndReportOnlyTheStatusByteAsUsed() {
        f.fill(DATA, 512, 0x33);

        assertThat(f.write(0, 512)).isEqualTo(HANDLED);

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.usedLength).isEqualTo(1);
    }

    @Test
    void shouldReportDataPlusStatusAsUsedForARead() {
        f.read(0, 512, 1024);

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.usedLength).isEqualTo(1537);
    }

    @Test
    void shouldReadIntoABufferWhoseLastByteIsTheStatus() {
        f.fill(DATA, 512, 0x44);
        f.write(2, 512);
        f.header(VirtioBlkProtocol.T_IN, 2);

        f.run(new long[] {HEADER, READ_BACK}, new int[] {16, 513}, 1);

        assertThat(f.bytes(READ_BACK, 512)).containsOnly(0x44);
        assertThat(f.memory.readByte(READ_BACK + 512)).isEqualTo((byte) S_OK);
        assertThat(f.usedLength).isEqualTo(513);
    }

    @Test
    void shouldAcceptAHeaderSplitAcrossTwoSegments() {
        f.fill(DATA, 512, 0x55);
        f.write(4, 512);
        // type and reserved in one buffer, sector in another.
        f.memory.writeInt(HEADER, VirtioBlkProtocol.T_IN);
        f.memory.writeInt(HEADER + 4, 0);
        f.memory.writeLong(HEADER + 0x100, 4);
        f.memory.writeByte(STATUS, (byte) 0xff);

        f.run(new long[] {HEADER, HEADER + 0x100, READ_BACK, STATUS}, new int[] {8, 8, 512, 1}, 2);

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.bytes(READ_BACK, 512)).containsOnly(0x55);
    }

    @Test
    void shouldFlushOk() {
        assertThat(f.request(VirtioBlkProtocol.T_FLUSH, 0)).isEqualTo(HANDLED);

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.usedLength).isEqualTo(1);
    }

    @Test
    void shouldReturnTheSerialZeroPaddedForGetId() {
        f.fill(READ_BACK, 32, 0x7f);
        f.header(VirtioBlkProtocol.T_GET_ID, 0);

        f.run(new long[] {HEADER, READ_BACK, STATUS}, new int[] {16, 32, 1}, 1);

        byte[] expected = Arrays.copyOf("hvkit-serial".getBytes(StandardCharsets.US_ASCII), 20);
        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.bytes(READ_BACK, 20)).isEqualTo(expected);
        assertThat(f.bytes(READ_BACK + 20, 12)).containsOnly(0x7f);
        assertThat(f.usedLength).isEqualTo(21);
    }

    @Test
    void shouldCutTheSerialToASmallerBuffer() {
        f.fill(READ_BACK, 8, 0);
        f.header(VirtioBlkProtocol.T_GET_ID, 0);

        f.run(new long[] {HEADER, READ_BACK, STATUS}, new int[] {16, 5, 1}, 1);

        assertThat(new String(f.bytes(READ_BACK, 5), StandardCharsets.US_ASCII)).isEqualTo("hvkit");
        assertThat(f.memory.readByte(READ_BACK + 5)).isZero();
        assertThat(f.usedLength).isEqualTo(6);
    }

    @Test
    void shouldCutASerialLongerThan20Bytes() {
        BlkFixture g = new BlkFixture(VirtioBlkConfig.defaults(512, 1, BlkFixture.QUEUE_SIZE),
                new NullBackend(512, false), "0123456789abcdefghijKLMN");
        g.header(VirtioBlkProtocol.T_GET_ID, 0);

        g.run(new long[] {HEADER, READ_BACK, STATUS}, new int[] {16, 24, 1}, 1);

        assertThat(new String(g.bytes(READ_BACK, 20), StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdefghij");
        assertThat(g.usedLength).isEqualTo(21);
    }

    @Test
    void shouldMakeDataReadBackZeroAfterWriteZeroes() {
        f.fill(DATA, 2048, 0x66);
        f.write(0, 2048);

        f.ranges(VirtioBlkProtocol.T_WRITE_ZEROES, new long[] {1, 2, 0});

        assertThat(f.status()).isEqualTo(S_OK);
        f.read(0, 2048);
        assertThat(f.bytes(READ_BACK, 512)).containsOnly(0x66);
        assertThat(f.bytes(READ_BACK + 512, 1024)).containsOnly(0);
        assertThat(f.bytes(READ_BACK + 1536, 512)).containsOnly(0x66);
    }

    @Test
    void shouldAcceptWriteZeroesWithUnmap() {
        f.ranges(VirtioBlkProtocol.T_WRITE_ZEROES, new long[] {0, 1, VirtioBlkProtocol.WRITE_ZEROES_FLAG_UNMAP});

        assertThat(f.status()).isEqualTo(S_OK);
    }

    @Test
    void shouldDiscardOkAndReadBackZeroOnTheRamBackend() {
        f.fill(DATA, 1024, 0x77);
        f.write(10, 1024);

        f.ranges(VirtioBlkProtocol.T_DISCARD, new long[] {10, 2, 0});

        assertThat(f.status()).isEqualTo(S_OK);
        assertThat(f.usedLength).isEqualTo(1);
        f.read(10, 1024);
        assertThat(f.bytes(READ_BACK, 1024)).containsOnly(0);
    }

    @Test
    void shouldDiscardSeveralSegmentsUpToTheLimit() {
        BlkFixture g = BlkFixture.ram(new VirtioBlkConfig(64, 0, 14, 512, 1, 8, 2, 1, 8, 1, true));
        g.fill(DATA + CHUNK, 4 * 512, 0x12);
        g.header(VirtioBlkProtocol.T_OUT, 0);
        g.run(new long[] {HEADER, DATA + CHUNK, STATUS}, new int[] {16, 4 * 512, 1}, 2);

        g.ranges(VirtioBlkProtocol.T_DISCARD, new long[] {0, 1, 0}, new long[] {2, 1, 0});

        assertThat(g.status()).isEqualTo(S_OK);
        g.read(0, 4 * 512);
        assertThat(g.bytes(READ_BACK, 512)).containsOnly(0);
        assertThat(g.bytes(READ_BACK + 512, 512)).containsOnly(0x12);
        assertThat(g.bytes(READ_BACK + 1024, 512)).containsOnly(0);
    }

    @Test
    void shouldReadTheLastSectorOfTheDisk() {
        f.read(63, 512);

        assertThat(f.status()).isEqualTo(S_OK);
    }

    @Test
    void shouldKeepNothingInFlightAfterSynchronousCompletions() {
        f.write(0, 512);
        f.read(0, 512);
        f.request(VirtioBlkProtocol.T_FLUSH, 0);

        assertThat(f.handler.inFlight()).isZero();
        assertThat(f.queue.inFlight()).isZero();
    }
}
