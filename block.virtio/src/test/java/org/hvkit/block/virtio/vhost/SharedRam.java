package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.MemoryRegion;

/**
 * A test guest's RAM: a file in /dev/shm that the test front-end maps and shares with the
 * back-end by its descriptor, as QEMU shares a memfd. The front-end's "user address" of the
 * RAM is a made-up base, so translation is exercised.
 */
final class SharedRam implements AutoCloseable {

    static final long GUEST_BASE = 0x100000;
    static final long USER_BASE = 0x7f12_3400_0000L;

    private final Path file;
    private final RandomAccessFile raf;
    private final GuestMemory memory;
    private final long size;

    SharedRam(long size) throws IOException {
        this.size = size;
        this.file = Files.createTempFile(Path.of("/dev/shm"), "hvkit-vhost-test", ".ram");
        this.raf = new RandomAccessFile(file.toFile(), "rw");
        raf.setLength(size);
        MappedByteBuffer mapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
        this.memory = GuestMemory.of(List.of(new MemoryRegion(GUEST_BASE, mapped)));
    }

    GuestMemory memory() {
        return memory;
    }

    long size() {
        return size;
    }

    FileDescriptor fd() throws IOException {
        return raf.getFD();
    }

    /** The front-end's user address of a guest-physical address. */
    long userAddress(long guestAddress) {
        return guestAddress - GUEST_BASE + USER_BASE;
    }

    @Override
    public void close() throws IOException {
        raf.close();
        Files.deleteIfExists(file);
    }
}
