package org.hvkit.block.virtio.blk;

/**
 * QEMU's {@code virtio_blk_sect_range_ok}: is a request of {@code bytes} at 512-byte sector
 * {@code sector} whole logical blocks, aligned, no larger than one request may be, and
 * inside the disk? All arithmetic is overflow-safe for any guest values: {@code sector} is
 * an unsigned 64-bit value straight from the guest.
 *
 * <p>Thread-safety: stateless; any thread.
 */
final class SectorRange {

    private SectorRange() {
    }

    /**
     * Checks a range.
     *
     * @param sector the first sector, u64
     * @param bytes the length in bytes, 0 or more
     * @param totalSectors the disk size in sectors
     * @param blkSize the logical block size, a power of two of at least 512
     * @return true if the range may be submitted
     */
    static boolean ok(long sector, long bytes, long totalSectors, int blkSize) {
        if (bytes < 0 || bytes % blkSize != 0) {
            return false;
        }
        long sectors = bytes >>> VirtioBlkProtocol.SECTOR_SHIFT;
        if (sectors > VirtioBlkConfig.MAX_REQUEST_SECTORS) {
            return false;
        }
        long blockMask = (blkSize >>> VirtioBlkProtocol.SECTOR_SHIFT) - 1;
        if ((sector & blockMask) != 0) {
            return false;
        }
        // The spec's form, unsigned: sector > total || n > total - sector. No sector + n overflow.
        return Long.compareUnsigned(sector, totalSectors) <= 0 && sectors <= totalSectors - sector;
    }
}
