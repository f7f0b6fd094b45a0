package org.hvkit.block.virtio.blk;

/**
 * The wire constants of virtio-blk requests (virtio 1.2 §5.2.6): request types, status
 * values and the sizes of the structures a request carries.
 */
public final class VirtioBlkProtocol {

    /** Read. */
    public static final int T_IN = 0;
    /** Write. */
    public static final int T_OUT = 1;
    /** Make completed writes durable. */
    public static final int T_FLUSH = 4;
    /** Return the device serial, {@link #ID_BYTES} bytes at most. */
    public static final int T_GET_ID = 8;
    /** Discard ranges. */
    public static final int T_DISCARD = 11;
    /** Zero ranges. */
    public static final int T_WRITE_ZEROES = 13;

    /** The request succeeded. */
    public static final int S_OK = 0;
    /** The request failed. */
    public static final int S_IOERR = 1;
    /** The device does not support the request. */
    public static final int S_UNSUPP = 2;

    /** {@code struct virtio_blk_outhdr}: type u32, reserved u32, sector u64. */
    public static final int OUT_HEADER_SIZE = 16;
    /** The status byte at the very end of the last writable buffer. */
    public static final int STATUS_SIZE = 1;
    /** {@code struct virtio_blk_discard_write_zeroes}: sector u64, num_sectors u32, flags u32. */
    public static final int DISCARD_SEGMENT_SIZE = 16;
    /** The only flag of a write-zeroes segment: the device may deallocate instead of zeroing. */
    public static final int WRITE_ZEROES_FLAG_UNMAP = 1;
    /** The most bytes of a device serial (GET_ID). */
    public static final int ID_BYTES = 20;
    /** Sectors are always 512 bytes in the protocol, whatever blk_size says. */
    public static final int SECTOR_SIZE = 512;
    /** log2 of {@link #SECTOR_SIZE}. */
    public static final int SECTOR_SHIFT = 9;

    private VirtioBlkProtocol() {
    }
}
