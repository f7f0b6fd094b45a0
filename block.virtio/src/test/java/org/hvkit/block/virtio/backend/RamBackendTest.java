package org.hvkit.block.virtio.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;
import org.junit.jupiter.api.Test;

class RamBackendTest {

    private final GuestMemory memory = GuestMemory.allocate(0x10000, 0x10000);
    private final RamBackend backend = new RamBackend(64 * 512, false);
    private final RecordingCompletion done = new RecordingCompletion();

    private IoVector iov(long... addressLengthPairs) {
        IoVector iov = new IoVector(8);
        for (int i = 0; i < addressLengthPairs.length; i += 2) {
            iov.add(addressLengthPairs[i], addressLengthPairs[i + 1]);
        }
        return iov;
    }

    private void fill(long address, int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        memory.write(address, bytes, 0, length);
    }

    private byte[] guest(long address, int length) {
        byte[] bytes = new byte[length];
        memory.read(address, bytes, 0, length);
        return bytes;
    }

    @Test
    void shouldReadBackWhatWasWrittenAcrossSegments() {
        fill(0x10000, 512, 0x11);
        fill(0x12000, 1024, 0x22);
        backend.write(memory, iov(0x10000, 512, 0x12000, 1024), 1024, done);

        backend.read(memory, iov(0x14000, 1536), 1024, done);

        assertThat(done.calls).isEqualTo(2);
        assertThat(done.status).isEqualTo(BlockCompletion.OK);
        assertThat(guest(0x14000, 512)).containsOnly(0x11);
        assertThat(guest(0x14200, 1024)).containsOnly(0x22);
    }

    @Test
    void shouldZeroARangeOnWriteZeroes() {
        fill(0x10000, 1024, 0x33);
        backend.write(memory, iov(0x10000, 1024), 0, done);

        backend.writeZeroes(512, 512, false, done);

        backend.read(memory, iov(0x11000, 1024), 0, done);
        assertThat(guest(0x11000, 512)).containsOnly(0x33);
        assertThat(guest(0x11200, 512)).containsOnly(0);
    }

    @Test
    void shouldFailARangePastTheCapacityWithoutTouchingTheGuest() {
        fill(0x10000, 1024, 0x44);

        backend.read(memory, iov(0x10000, 1024), 63 * 512, done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
        assertThat(guest(0x10000, 1024)).containsOnly(0x44);
    }

    @Test
    void shouldFailAnOverflowingRange() {
        backend.discard(512, Long.MAX_VALUE, done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldFailWritesDiscardsAndWriteZeroesWhenReadOnly() {
        RamBackend ro = new RamBackend(512, true);
        RecordingCompletion w = new RecordingCompletion();
        RecordingCompletion d = new RecordingCompletion();
        RecordingCompletion z = new RecordingCompletion();

        ro.write(memory, iov(0x10000, 512), 0, w);
        ro.discard(0, 512, d);
        ro.writeZeroes(0, 512, true, z);

        assertThat(new int[] {w.status, d.status, z.status}).containsOnly(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldThrowBeforeCompletingWhenASegmentIsOutsideGuestRam() {
        assertThatThrownBy(() -> backend.read(memory, iov(0x1f000, 0x2000), 0, done))
                .isInstanceOf(GuestMemoryException.class);
        assertThat(done.calls).isZero();
    }

    @Test
    void shouldRefuseACapacityThatIsNotWholeSectors() {
        assertThatThrownBy(() -> new RamBackend(1000, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RamBackend(RamBackend.MAX_CAPACITY + 512, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
