package org.hvkit.block.virtio.blk;

import java.util.Objects;
import org.hvkit.block.virtio.queue.VirtioRing;

/**
 * The feature bits of virtio-blk (virtio 1.2 §5.2.3) and the set a device offers.
 *
 * <p>Thread-safety: stateless; any thread.
 */
public final class VirtioBlkFeatures {

    /** size_max is valid. */
    public static final int SIZE_MAX = 1;
    /** seg_max is valid. */
    public static final int SEG_MAX = 2;
    /** The device is read-only. */
    public static final int RO = 5;
    /** blk_size is valid. */
    public static final int BLK_SIZE = 6;
    /** FLUSH is supported. */
    public static final int FLUSH = 9;
    /** num_queues is valid: several request queues. */
    public static final int MQ = 12;
    /** DISCARD is supported; its limits are valid. */
    public static final int DISCARD = 13;
    /** WRITE_ZEROES is supported; its limits are valid. */
    public static final int WRITE_ZEROES = 14;
    /** Indirect descriptors (transport feature). */
    public static final int RING_INDIRECT_DESC = VirtioRing.F_INDIRECT_DESC;
    /** used_event/avail_event notification suppression (transport feature). */
    public static final int RING_EVENT_IDX = VirtioRing.F_EVENT_IDX;
    /** A virtio 1.x device, not legacy (transport feature). */
    public static final int VERSION_1 = VirtioRing.F_VERSION_1;

    private VirtioBlkFeatures() {
    }

    /**
     * The features a device with this configuration offers. Like QEMU, SIZE_MAX only with a
     * non-zero size_max, MQ only with more than one queue, DISCARD and WRITE_ZEROES only with
     * non-zero limits; RO when the backend is read-only.
     *
     * @param config the configuration space
     * @param readOnly true if the backend is read-only
     * @return the feature bits
     */
    public static long offered(VirtioBlkConfig config, boolean readOnly) {
        Objects.requireNonNull(config, "config");
        long f = bit(VERSION_1) | bit(RING_EVENT_IDX) | bit(RING_INDIRECT_DESC) | bit(BLK_SIZE) | bit(SEG_MAX)
                | bit(FLUSH);
        if (config.sizeMax() > 0) {
            f |= bit(SIZE_MAX);
        }
        if (config.numQueues() > 1) {
            f |= bit(MQ);
        }
        if (config.discardSupported()) {
            f |= bit(DISCARD);
        }
        if (config.writeZeroesSupported()) {
            f |= bit(WRITE_ZEROES);
        }
        if (readOnly) {
            f |= bit(RO);
        }
        return f;
    }

    /**
     * The mask of one feature bit.
     *
     * @param feature the bit number, 0 to 63
     * @return {@code 1L << feature}
     */
    public static long bit(int feature) {
        return 1L << Objects.checkIndex(feature, Long.SIZE);
    }

    /**
     * Tells whether a set holds a feature.
     *
     * @param features the feature bits
     * @param feature the bit number
     * @return true if set
     */
    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }
}
