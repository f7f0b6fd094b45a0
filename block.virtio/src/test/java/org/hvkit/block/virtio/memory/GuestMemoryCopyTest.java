package org.hvkit.block.virtio.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMemoryCopyTest {

    private final GuestMemory memory = GuestMemory.allocate(0x1000, 0x1000);

    @Test
    void shouldCopyGuestBytesIntoABufferAtAnIndex() {
        memory.write(0x1100, new byte[] {1, 2, 3}, 0, 3);
        ByteBuffer dst = ByteBuffer.allocate(8);

        memory.copyTo(0x1100, dst, 4, 3);

        assertThat(dst.array()).containsExactly(0, 0, 0, 0, 1, 2, 3, 0);
        assertThat(dst.position()).isZero();
    }

    @Test
    void shouldCopyBufferBytesIntoTheGuest() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7, 6});
        byte[] back = new byte[2];

        memory.copyFrom(src, 1, 0x1ffe, 2);

        memory.read(0x1ffe, back, 0, 2);
        assertThat(back).containsExactly(8, 7);
        assertThat(src.position()).isZero();
    }

    @Test
    void shouldRefuseACopyThatCrossesTheEndOfGuestRam() {
        ByteBuffer buffer = ByteBuffer.allocate(16);

        assertThatThrownBy(() -> memory.copyTo(0x1ff9, buffer, 0, 8)).isInstanceOf(GuestMemoryException.class);
        assertThatThrownBy(() -> memory.copyFrom(buffer, 0, 0x1ff9, 8)).isInstanceOf(GuestMemoryException.class);
    }

    /**
     * Two regions that adjoin are one stretch of guest RAM (a RAM slot over 1 GiB is mapped in
     * pieces), so a copy may run across them; across a gap it is refused.
     */
    @Test
    void shouldCopyAcrossAdjoiningRegionsButNotAcrossAGap() {
        GuestMemory two = GuestMemory.of(List.of(new MemoryRegion(0, ByteBuffer.allocate(16)),
                new MemoryRegion(16, ByteBuffer.allocate(16))));
        GuestMemory gap = GuestMemory.of(List.of(new MemoryRegion(0, ByteBuffer.allocate(16)),
                new MemoryRegion(32, ByteBuffer.allocate(16))));
        two.writeLong(8, 0x0807060504030201L);
        two.writeLong(16, 0x100f0e0d0c0b0a09L);
        ByteBuffer out = ByteBuffer.allocate(8);

        two.copyTo(12, out, 0, 8);

        assertThat(out.array()).containsExactly(5, 6, 7, 8, 9, 10, 11, 12);
        assertThatThrownBy(() -> gap.copyTo(12, ByteBuffer.allocate(8), 0, 8)).isInstanceOf(GuestMemoryException.class);
    }

    @Test
    void shouldRefuseABufferRangePastItsLimit() {
        ByteBuffer small = ByteBuffer.allocate(16).limit(8);

        assertThatThrownBy(() -> memory.copyTo(0x1000, small, 4, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memory.copyFrom(small, -1, 0x1000, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
