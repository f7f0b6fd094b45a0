package org.hvkit.block.virtio.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {

    private final GuestMemory memory = GuestMemory.allocate(0x1000, 0x1000);

    @Test
    void shouldStoreValuesLittleEndian() {
        memory.writeInt(0x1000, 0x11223344);

        assertThat(memory.readByte(0x1000)).isEqualTo((byte) 0x44);
        assertThat(memory.readShort(0x1002)).isEqualTo((short) 0x1122);
    }

    @Test
    void shouldRoundTripEveryWidth() {
        memory.writeByte(0x1001, (byte) -2);
        memory.writeShort(0x1010, (short) -3);
        memory.writeLong(0x1ff8, Long.MIN_VALUE + 5);

        assertThat(memory.readByte(0x1001)).isEqualTo((byte) -2);
        assertThat(memory.readShort(0x1010)).isEqualTo((short) -3);
        assertThat(memory.readLong(0x1ff8)).isEqualTo(Long.MIN_VALUE + 5);
    }

    @Test
    void shouldRefuseAnAccessThatCrossesTheEnd() {
        assertThatThrownBy(() -> memory.readLong(0x1ffc)).isInstanceOf(GuestMemoryException.class)
                .hasMessageContaining("0x1ffc");
    }

    @Test
    void shouldRefuseAddressesBelowAndAboveRam() {
        assertThat(memory.contains(0xfff, 1)).isFalse();
        assertThat(memory.contains(0x2000, 1)).isFalse();
        assertThat(memory.contains(0x1000, 0x1000)).isTrue();
        assertThat(memory.contains(0x1000, 0x1001)).isFalse();
    }

    @Test
    void shouldNotOverflowOnHugeAddressesOrLengths() {
        assertThat(memory.contains(Long.MAX_VALUE, 1)).isFalse();
        assertThat(memory.contains(0x1800, Long.MAX_VALUE)).isFalse();
        assertThat(memory.contains(Long.MIN_VALUE, 16)).isFalse();
        assertThat(memory.contains(0x1800, -1)).isFalse();
    }

    @Test
    void shouldCopyBytesInAndOut() {
        byte[] data = {1, 2, 3, 4, 5};
        memory.write(0x1100, data, 1, 3);
        byte[] back = new byte[3];
        memory.read(0x1100, back, 0, 3);

        assertThat(back).containsExactly(2, 3, 4);
    }

    @Test
    void shouldFindTheRegionOfEachAddress() {
        GuestMemory two = GuestMemory.of(List.of(
                new MemoryRegion(0x10000, ByteBuffer.allocate(16)),
                new MemoryRegion(0, ByteBuffer.allocate(16))));
        two.writeLong(8, 42);
        two.writeLong(0x10008, 43);

        assertThat(two.readLong(8)).isEqualTo(42);
        assertThat(two.readLong(0x10008)).isEqualTo(43);
        assertThat(two.contains(16, 1)).isFalse();
    }

    @Test
    void shouldRejectOverlappingRegions() {
        assertThatThrownBy(() -> GuestMemory.of(List.of(
                new MemoryRegion(0, ByteBuffer.allocate(32)),
                new MemoryRegion(16, ByteBuffer.allocate(32)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
    }

    /** Two mappings of one RAM slot side by side (a slot over 1 GiB is mapped in pieces), and one apart. */
    private static GuestMemory adjoining() {
        return GuestMemory.of(List.of(
                new MemoryRegion(0x1000, ByteBuffer.allocate(0x100)),
                new MemoryRegion(0x1100, ByteBuffer.allocate(0x100)),
                new MemoryRegion(0x1300, ByteBuffer.allocate(0x100))));
    }

    @Test
    void shouldCopyAcrossAdjoiningRegions() {
        GuestMemory ram = adjoining();
        byte[] data = new byte[0x40];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i + 1);
        }

        ram.write(0x10e0, data, 0, data.length);
        byte[] back = new byte[data.length];
        ram.read(0x10e0, back, 0, back.length);
        ByteBuffer buffer = ByteBuffer.allocate(0x50);
        ram.copyTo(0x10e0, buffer, 0x10, data.length);
        ram.copyFrom(buffer, 0x10, 0x1180, data.length);
        byte[] moved = new byte[data.length];
        ram.read(0x1180, moved, 0, moved.length);

        assertThat(ram.contains(0x10e0, 0x40)).isTrue();
        assertThat(back).isEqualTo(data);
        assertThat(ram.readByte(0x10ff)).isEqualTo((byte) 0x20);
        assertThat(ram.readByte(0x1100)).isEqualTo((byte) 0x21);
        assertThat(moved).isEqualTo(data);
    }

    @Test
    void shouldRefuseACopyOverAGapOrPastTheEndOfAdjoiningRegions() {
        GuestMemory ram = adjoining();
        byte[] data = new byte[0x40];

        assertThat(ram.contains(0x11e0, 0x40)).isFalse(); // runs into the gap at 0x1200
        assertThat(ram.contains(0x1000, 0x201)).isFalse();
        assertThat(ram.contains(Long.MAX_VALUE - 8, 0x40)).isFalse();
        assertThatThrownBy(() -> ram.write(0x11e0, data, 0, data.length)).isInstanceOf(GuestMemoryException.class);
        assertThatThrownBy(() -> ram.copyTo(0x11e0, ByteBuffer.allocate(0x40), 0, 0x40))
                .isInstanceOf(GuestMemoryException.class);
    }

    @Test
    void shouldKeepEachValueInsideOneRegion() {
        GuestMemory ram = adjoining();

        assertThatThrownBy(() -> ram.readLong(0x10fc)).isInstanceOf(GuestMemoryException.class);
    }
}
