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
}
