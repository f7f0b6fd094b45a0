package org.hvkit.block.virtio.blk;

/**
 * The virtio-blk configuration space ({@code struct virtio_blk_config}, virtio 1.2 §5.2.4)
 * as the driver reads it: little-endian fields at fixed byte offsets. Geometry, topology and
 * writeback are not offered and read as zero.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param capacitySectors the size in 512-byte sectors
 * @param sizeMax the largest data segment in bytes; 0 means not offered (no SIZE_MAX)
 * @param segMax the most data segments in one request, at least 1
 * @param blkSize the logical block size: a power of two, 512 or more
 * @param numQueues the number of request queues, 1 to 65535
 * @param maxDiscardSectors the most sectors one discard segment covers; 0 means no DISCARD
 * @param maxDiscardSeg the most segments in one discard request
 * @param discardSectorAlignment the discard granularity in sectors
 * @param maxWriteZeroesSectors the most sectors one write-zeroes segment covers; 0 means no
 *     WRITE_ZEROES
 * @param maxWriteZeroesSeg the most segments in one write-zeroes request
 * @param writeZeroesMayUnmap true if write-zeroes with UNMAP may deallocate
 */
public record VirtioBlkConfig(long capacitySectors, int sizeMax, int segMax, int blkSize, int numQueues,
        int maxDiscardSectors, int maxDiscardSeg, int discardSectorAlignment, int maxWriteZeroesSectors,
        int maxWriteZeroesSeg, boolean writeZeroesMayUnmap) {

    /** The size of the configuration space we expose, up to and including write_zeroes_may_unmap's padding. */
    public static final int SIZE = 60;

    public static final int OFFSET_CAPACITY = 0;
    public static final int OFFSET_SIZE_MAX = 8;
    public static final int OFFSET_SEG_MAX = 12;
    public static final int OFFSET_BLK_SIZE = 20;
    public static final int OFFSET_NUM_QUEUES = 34;
    public static final int OFFSET_MAX_DISCARD_SECTORS = 36;
    public static final int OFFSET_MAX_DISCARD_SEG = 40;
    public static final int OFFSET_DISCARD_SECTOR_ALIGNMENT = 44;
    public static final int OFFSET_MAX_WRITE_ZEROES_SECTORS = 48;
    public static final int OFFSET_MAX_WRITE_ZEROES_SEG = 52;
    public static final int OFFSET_WRITE_ZEROES_MAY_UNMAP = 56;

    /** QEMU's BDRV_REQUEST_MAX_SECTORS: the most sectors one request or segment may cover. */
    public static final int MAX_REQUEST_SECTORS = Integer.MAX_VALUE >> VirtioBlkProtocol.SECTOR_SHIFT;

    /** Checks the values. */
    public VirtioBlkConfig {
        require(capacitySectors >= 0, "capacity must not be negative");
        require(sizeMax >= 0, "size_max must not be negative");
        require(segMax >= 1, "seg_max must be at least 1");
        require(blkSize >= VirtioBlkProtocol.SECTOR_SIZE && Integer.bitCount(blkSize) == 1,
                "blk_size must be a power of two of at least 512");
        require(numQueues >= 1 && numQueues <= 0xffff, "num_queues must be 1 to 65535");
        require(maxDiscardSectors >= 0 && maxDiscardSectors <= MAX_REQUEST_SECTORS,
                "max_discard_sectors must be 0 to " + MAX_REQUEST_SECTORS);
        require(maxDiscardSectors == 0 || maxDiscardSeg >= 1, "max_discard_seg must be at least 1 with discard");
        require(discardSectorAlignment >= 0, "discard_sector_alignment must not be negative");
        require(maxWriteZeroesSectors >= 0 && maxWriteZeroesSectors <= MAX_REQUEST_SECTORS,
                "max_write_zeroes_sectors must be 0 to " + MAX_REQUEST_SECTORS);
        require(maxWriteZeroesSectors == 0 || maxWriteZeroesSeg >= 1,
                "max_write_zeroes_seg must be at least 1 with write-zeroes");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * QEMU's defaults for a disk: no size_max, seg_max = queue size - 2 (the header and the
     * status take two descriptors), 512-byte blocks, one discard and one write-zeroes segment
     * of up to {@link #MAX_REQUEST_SECTORS}, write-zeroes may unmap.
     *
     * @param capacityBytes the disk size in bytes, a multiple of 512
     * @param numQueues the number of queues
     * @param queueSize the queue size, 4 or more
     * @return the configuration
     */
    public static VirtioBlkConfig defaults(long capacityBytes, int numQueues, int queueSize) {
        require(capacityBytes >= 0 && capacityBytes % VirtioBlkProtocol.SECTOR_SIZE == 0,
                "capacity must be a multiple of 512 bytes");
        require(queueSize > 2, "queue size must be above 2");
        return new VirtioBlkConfig(capacityBytes >> VirtioBlkProtocol.SECTOR_SHIFT, 0, queueSize - 2,
                VirtioBlkProtocol.SECTOR_SIZE, numQueues, MAX_REQUEST_SECTORS, 1, 1, MAX_REQUEST_SECTORS, 1, true);
    }

    /** True if the device offers DISCARD. */
    public boolean discardSupported() {
        return maxDiscardSectors > 0;
    }

    /** True if the device offers WRITE_ZEROES. */
    public boolean writeZeroesSupported() {
        return maxWriteZeroesSectors > 0;
    }

    /**
     * Reads the configuration space as the driver does: {@code width} bytes at
     * {@code offset}, little-endian. Like QEMU, an access outside the space or of a width
     * other than 1, 2, 4 or 8 reads as all ones (of the width, or 64 bits for a bad width)
     * rather than failing: the offset comes from the guest.
     *
     * @param offset the byte offset
     * @param width 1, 2, 4 or 8
     * @return the value, zero-extended
     */
    public long read(int offset, int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            return -1L;
        }
        if (offset < 0 || offset > SIZE - width) {
            return width == 8 ? -1L : (1L << (8 * width)) - 1;
        }
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | byteAt(offset + i);
        }
        return value;
    }

    /** Byte {@code offset} of the space; computed on read, since the driver reads rarely. */
    private int byteAt(int offset) {
        if (offset < OFFSET_SIZE_MAX) {
            return le(capacitySectors, offset - OFFSET_CAPACITY);
        }
        return switch (offset & ~3) {
            case OFFSET_SIZE_MAX -> le(sizeMax, offset & 3);
            case OFFSET_SEG_MAX -> le(segMax, offset & 3);
            case OFFSET_BLK_SIZE -> le(blkSize, offset & 3);
            case 32 -> offset >= OFFSET_NUM_QUEUES ? le(numQueues, offset - OFFSET_NUM_QUEUES) : 0;
            case OFFSET_MAX_DISCARD_SECTORS -> le(maxDiscardSectors, offset & 3);
            case OFFSET_MAX_DISCARD_SEG -> le(maxDiscardSeg, offset & 3);
            case OFFSET_DISCARD_SECTOR_ALIGNMENT -> le(discardSectorAlignment, offset & 3);
            case OFFSET_MAX_WRITE_ZEROES_SECTORS -> le(maxWriteZeroesSectors, offset & 3);
            case OFFSET_MAX_WRITE_ZEROES_SEG -> le(maxWriteZeroesSeg, offset & 3);
            case OFFSET_WRITE_ZEROES_MAY_UNMAP -> offset == OFFSET_WRITE_ZEROES_MAY_UNMAP && writeZeroesMayUnmap ? 1 : 0;
            default -> 0; // geometry (16..19), topology (24..31): not offered
        };
    }

    private static int le(long value, int byteIndex) {
        return (int) (value >>> (8 * byteIndex)) & 0xff;
    }
}
