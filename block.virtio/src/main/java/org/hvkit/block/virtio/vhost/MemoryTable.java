package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.MemoryRegion;

/**
 * The guest RAM a front-end shares (SET_MEM_TABLE): each region's file mapped from its
 * descriptor at its {@code mmap_offset}, as {@link GuestMemory}, plus the translation of the
 * front-end's user virtual addresses (the vring addresses of SET_VRING_ADDR) to guest-physical
 * ones.
 *
 * <p>A {@link MappedByteBuffer} holds at most 2 GiB, so a region is mapped in chunks of
 * {@value #CHUNK} bytes, each a region of the guest memory. The chunks of one region adjoin,
 * so a guest buffer that crosses a seam is copied piece by piece (see {@link GuestMemory});
 * ring fields are aligned and never cross one. The mappings live until the buffers are
 * garbage collected (the JDK unmaps only then).
 *
 * <p>Thread-safety: immutable after {@link #map}; any thread.
 */
final class MemoryTable {

    /** Regions a table may have (VHOST_MEMORY_BASELINE_NREGIONS). */
    static final int MAX_REGIONS = 8;
    /** Bytes of one region entry: guest_phys_addr, memory_size, userspace_addr, mmap_offset. */
    static final int REGION_SIZE = 32;
    /** Bytes before the entries: nregions and padding. */
    static final int HEADER_SIZE = 8;
    /** The largest mapping one buffer of guest memory gets. */
    static final long CHUNK = 1L << 30;

    /** One region as the front-end described it. */
    record Region(long guestAddress, long size, long userAddress, long mmapOffset) {
    }

    private final List<Region> regions;
    private final GuestMemory memory;

    private MemoryTable(List<Region> regions, GuestMemory memory) {
        this.regions = regions;
        this.memory = memory;
    }

    /**
     * Parses a SET_MEM_TABLE payload and checks every region: at least one and at most
     * {@value #MAX_REGIONS}, as many descriptors as regions, a size above 0, no address
     * range wrapping around, no two regions overlapping in guest-physical or user space.
     *
     * @param payload the message payload, little-endian
     * @param fdCount the descriptors that came with it
     * @return the regions, in table order
     * @throws ProtocolException naming the first problem
     */
    static List<Region> parse(ByteBuffer payload, int fdCount) throws ProtocolException {
        if (payload.capacity() < HEADER_SIZE) {
            throw new ProtocolException("SET_MEM_TABLE shorter than its header");
        }
        long count = Integer.toUnsignedLong(payload.getInt(0));
        if (count < 1 || count > MAX_REGIONS) {
            throw new ProtocolException("SET_MEM_TABLE with " + count + " regions, allowed 1 to " + MAX_REGIONS);
        }
        if (payload.capacity() != HEADER_SIZE + count * REGION_SIZE) {
            throw new ProtocolException("SET_MEM_TABLE of " + payload.capacity() + " bytes for " + count + " regions");
        }
        if (fdCount != count) {
            throw new ProtocolException("SET_MEM_TABLE with " + count + " regions and " + fdCount + " descriptors");
        }
        List<Region> regions = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = HEADER_SIZE + i * REGION_SIZE;
            Region r = new Region(payload.getLong(at), payload.getLong(at + 8), payload.getLong(at + 16),
                    payload.getLong(at + 24));
            check(r, i);
            for (Region other : regions) {
                if (overlap(r.guestAddress(), other.guestAddress(), r.size(), other.size())
                        || overlap(r.userAddress(), other.userAddress(), r.size(), other.size())) {
                    throw new ProtocolException("SET_MEM_TABLE region " + i + " overlaps another");
                }
            }
            regions.add(r);
        }
        return regions;
    }

    private static void check(Region r, int i) throws ProtocolException {
        if (r.size() <= 0 || r.guestAddress() < 0 || r.mmapOffset() < 0
                || r.guestAddress() + r.size() < r.guestAddress() || r.mmapOffset() + r.size() < r.mmapOffset()
                || Long.compareUnsigned(r.userAddress() + r.size(), r.userAddress()) < 0) {
            throw new ProtocolException("SET_MEM_TABLE region " + i + " has a bad size, address or offset: " + r);
        }
    }

    /** Whether [a, a + sa) and [b, b + sb) intersect, as unsigned ranges that do not wrap. */
    private static boolean overlap(long a, long b, long sa, long sb) {
        return Long.compareUnsigned(a, b + sb) < 0 && Long.compareUnsigned(b, a + sa) < 0;
    }

    /**
     * Maps the regions read-write from their descriptors, through {@code /proc/self/fd}, so
     * the mapping is shared with the front-end. Takes no ownership of the descriptors.
     *
     * @param regions the checked regions
     * @param fds one descriptor per region, in the same order
     * @return the table
     * @throws ProtocolException if a descriptor cannot be mapped or its file is too short
     */
    static MemoryTable map(List<Region> regions, FileDescriptor[] fds) throws ProtocolException {
        List<MemoryRegion> mapped = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            try (FileChannel file = FileChannel.open(Path.of("/proc/self/fd/" + Descriptors.number(fds[i])),
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // Mapping past the end would grow the front-end's file: refuse instead.
                if (Long.compareUnsigned(r.mmapOffset() + r.size(), file.size()) > 0) {
                    throw new ProtocolException("SET_MEM_TABLE region " + i + " ends past its file of "
                            + file.size() + " bytes");
                }
                for (long done = 0; done < r.size(); done += CHUNK) {
                    long length = Math.min(CHUNK, r.size() - done);
                    mapped.add(new MemoryRegion(r.guestAddress() + done,
                            file.map(FileChannel.MapMode.READ_WRITE, r.mmapOffset() + done, length)));
                }
            } catch (IOException | RuntimeException e) {
                throw new ProtocolException("SET_MEM_TABLE region " + i + " cannot be mapped: " + e);
            }
        }
        return new MemoryTable(List.copyOf(regions), GuestMemory.of(mapped));
    }

    /** The guest RAM. */
    GuestMemory memory() {
        return memory;
    }

    /**
     * Translates a front-end user address range to a guest-physical address.
     *
     * @param userAddress the first byte, in the front-end's address space
     * @param length bytes that must lie in the same region, 1 or more
     * @return the guest-physical address, or -1 if no region holds the whole range
     */
    long toGuest(long userAddress, long length) {
        for (Region r : regions) {
            long offset = userAddress - r.userAddress();
            if (Long.compareUnsigned(userAddress, r.userAddress()) >= 0 && Long.compareUnsigned(offset, r.size()) < 0
                    && Long.compareUnsigned(length, r.size() - offset) <= 0) {
                return r.guestAddress() + offset;
            }
        }
        return -1;
    }
}
