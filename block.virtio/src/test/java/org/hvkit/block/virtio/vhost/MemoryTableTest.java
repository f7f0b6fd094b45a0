package org.hvkit.block.virtio.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SET_MEM_TABLE: regions checked, mapped from their descriptors in chunks, user addresses translated. */
class MemoryTableTest {

    private static final long USER = 0x7f00_0000_0000L;

    @TempDir
    Path dir;

    private static ByteBuffer table(long[]... regions) {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 * regions.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, regions.length);
        for (int i = 0; i < regions.length; i++) {
            for (int j = 0; j < 4; j++) {
                b.putLong(8 + 32 * i + 8 * j, regions[i][j]);
            }
        }
        return b;
    }

    @Test
    void shouldRejectRegionsThatOverlapInGuestPhysicalSpace() {
        ByteBuffer t = table(new long[] {0, 0x10000, USER, 0}, new long[] {0x8000, 0x10000, USER + 0x100000, 0});

        assertThatThrownBy(() -> MemoryTable.parse(t, 2)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void shouldRejectRegionsThatOverlapInUserSpace() {
        ByteBuffer t = table(new long[] {0, 0x10000, USER, 0}, new long[] {0x100000, 0x10000, USER + 0x8000, 0});

        assertThatThrownBy(() -> MemoryTable.parse(t, 2)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void shouldRejectARegionWhoseAddressRangeWraps() {
        ByteBuffer t = table(new long[] {Long.MAX_VALUE - 10, 0x1000, USER, 0});

        assertThatThrownBy(() -> MemoryTable.parse(t, 1)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("bad size, address or offset");
    }

    @Test
    void shouldMapARegionLargerThanOneBufferInChunksSharedWithTheFile() throws Exception {
        long size = MemoryTable.CHUNK + (MemoryTable.CHUNK >> 1);
        Path file = dir.resolve("ram");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size + 4096); // sparse: nothing is written but what the test writes
            FileDescriptor fd = raf.getFD();
            List<MemoryTable.Region> regions = MemoryTable.parse(table(new long[] {0x100000, size, USER, 4096}), 1);

            MemoryTable t = MemoryTable.map(regions, new FileDescriptor[] {fd});
            long last = 0x100000 + size - 8;
            t.memory().writeLong(last, 0x1122334455667788L);
            t.memory().writeLong(0x100000 + MemoryTable.CHUNK, 42);

            assertThat(t.memory().regions()).hasSize(2);
            raf.seek(4096 + size - 8);
            assertThat(Long.reverseBytes(raf.readLong())).isEqualTo(0x1122334455667788L);
            assertThat(t.toGuest(USER + MemoryTable.CHUNK, 8)).isEqualTo(0x100000 + MemoryTable.CHUNK);
        }
        Files.delete(file);
    }

    @Test
    void shouldTranslateOnlyRangesInsideOneRegion() throws Exception {
        Path file = dir.resolve("small");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0x20000);
            List<MemoryTable.Region> regions = MemoryTable.parse(
                    table(new long[] {0x0, 0x10000, USER, 0}, new long[] {0x100000, 0x10000, USER + 0x10000, 0x10000}), 2);

            MemoryTable t = MemoryTable.map(regions, new FileDescriptor[] {raf.getFD(), raf.getFD()});

            assertThat(t.toGuest(USER + 0x10, 16)).isEqualTo(0x10);
            assertThat(t.toGuest(USER + 0x10010, 16)).isEqualTo(0x100010);
            assertThat(t.toGuest(USER + 0xfff8, 16)).as("across the regions' boundary").isEqualTo(-1);
            assertThat(t.toGuest(USER - 1, 1)).isEqualTo(-1);
            assertThat(t.toGuest(USER + 0x20000, 1)).isEqualTo(-1);
        }
    }
}
