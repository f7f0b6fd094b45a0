package org.hvkit.block.virtio.queue;

/**
 * Constants of the split virtqueue layout (virtio 1.2 §2.7) and the event-index rule both
 * sides use.
 *
 * <p>Thread-safety: stateless; any thread.
 */
public final class VirtioRing {

    /** The buffer continues via the {@code next} field. */
    public static final int DESC_F_NEXT = 1;
    /** The buffer is device write-only (otherwise device read-only). */
    public static final int DESC_F_WRITE = 2;
    /** The buffer holds a table of descriptors. */
    public static final int DESC_F_INDIRECT = 4;

    /** Avail flags: the driver asks the device not to interrupt (without EVENT_IDX). */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    /** Used flags: the device asks the driver not to kick (without EVENT_IDX). */
    public static final int USED_F_NO_NOTIFY = 1;

    /** Feature bit {@code VIRTIO_RING_F_INDIRECT_DESC}. */
    public static final int F_INDIRECT_DESC = 28;
    /** Feature bit {@code VIRTIO_RING_F_EVENT_IDX}. */
    public static final int F_EVENT_IDX = 29;
    /** Feature bit {@code VIRTIO_F_VERSION_1}. */
    public static final int F_VERSION_1 = 32;

    /** Size of one descriptor: le64 addr, le32 len, le16 flags, le16 next. */
    public static final int DESC_SIZE = 16;
    /** Size of one used element: le32 id, le32 len. */
    public static final int USED_ELEM_SIZE = 8;
    /** The largest queue size a split ring allows. */
    public static final int MAX_QUEUE_SIZE = 32768;

    private VirtioRing() {
    }

    /**
     * Tells whether a feature bit is set.
     *
     * @param features the feature bits
     * @param bit the bit number
     * @return true if negotiated
     */
    public static boolean has(long features, int bit) {
        return (features & (1L << bit)) != 0;
    }

    /**
     * The spec's {@code vring_need_event}: true if moving the index from {@code oldIdx} to
     * {@code newIdx} passed {@code eventIdx}, all in u16 arithmetic, so wrap-around works.
     *
     * @param eventIdx the other side's event index (used_event or avail_event)
     * @param newIdx the index just published
     * @param oldIdx the index at the previous notification decision
     * @return true if the other side asked to be notified
     */
    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }
}
