package org.hvkit.block.virtio.driver;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.queue.VirtioRing;

/**
 * The driver side of one split virtqueue, as a guest OS keeps it (compare Linux's
 * {@code virtio_ring.c}): a free list of descriptors, chains added direct or through an
 * indirect table, avail->idx published behind a release fence, used elements reaped, and
 * notification suppression both ways (avail->flags / used_event for interrupts, used->flags
 * / avail_event for kicks).
 *
 * <p>Besides the well-behaved operations, {@link #writeDescriptor}, {@link #offer} and
 * {@link #setAvailIdx} write raw ring contents, so tests can forge what a hostile guest does.
 *
 * <p>Thread-safety: none; one driver thread, as one guest vCPU would hold the queue lock.
 */
public final class DriverRing {

    private final GuestMemory memory;
    private final RingLayout layout;
    private final boolean eventIdx;
    /** The driver's own copy of each descriptor's next link and each chain's length (Linux's desc_extra). */
    private final int[] nextFree;
    private final int[] chainLength;
    private int freeHead;
    private int freeCount;
    private int availIdx;
    private int kickCheckedIdx;
    private int lastUsedIdx;
    private int lastUsedHead;
    private long lastUsedLength;

    /**
     * Zeroes the rings and puts every descriptor on the free list.
     *
     * @param memory the guest memory holding the rings
     * @param layout where the rings are
     * @param features the negotiated feature bits
     */
    public DriverRing(GuestMemory memory, RingLayout layout, long features) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.eventIdx = VirtioRing.has(features, VirtioRing.F_EVENT_IDX);
        int size = layout.size();
        this.nextFree = new int[size];
        this.chainLength = new int[size];
        for (int i = 0; i < size; i++) {
            nextFree[i] = i + 1;
        }
        freeCount = size;
        zeroRings();
    }

    private void zeroRings() {
        for (int i = 0; i < layout.size(); i++) {
            memory.writeLong(layout.descriptor(i), 0);
            memory.writeLong(layout.descriptor(i) + 8, 0);
            memory.writeShort(layout.availSlot(i), (short) 0);
            memory.writeLong(layout.usedSlot(i), 0);
        }
        for (long a : new long[] {layout.availFlags(), layout.availIdx(), layout.usedEvent(),
                layout.usedFlags(), layout.usedIdx(), layout.availEvent()}) {
            memory.writeShort(a, (short) 0);
        }
    }

    /** The ring layout. */
    public RingLayout layout() {
        return layout;
    }

    /** Descriptors on the free list. */
    public int freeCount() {
        return freeCount;
    }

    /**
     * Adds a chain of direct descriptors: {@code readable} device-readable buffers, then the
     * rest device-writable. The chain is offered, not yet published.
     *
     * @param addresses guest addresses of the buffers
     * @param lengths their lengths
     * @param readable how many of them, from the start, the device reads
     * @return the head index, or -1 if too few descriptors are free
     */
    public int addChain(long[] addresses, int[] lengths, int readable) {
        int n = checkChain(addresses, lengths);
        if (n > freeCount) {
            return -1;
        }
        int head = freeHead;
        int index = head;
        for (int i = 0; i < n; i++) {
            int next = nextFree[index];
            int flags = (i < readable ? 0 : VirtioRing.DESC_F_WRITE) | (i + 1 < n ? VirtioRing.DESC_F_NEXT : 0);
            writeDescriptor(index, addresses[i], lengths[i], flags, i + 1 < n ? next : 0);
            index = next;
        }
        take(head, n, index);
        offer(head);
        return head;
    }

    /**
     * Adds a chain through one indirect descriptor whose table the driver writes at
     * {@code table} (16 bytes per buffer). The chain is offered, not yet published.
     *
     * @param table guest address of the indirect table, 16-byte aligned
     * @param addresses guest addresses of the buffers
     * @param lengths their lengths
     * @param readable how many of them, from the start, the device reads
     * @return the head index, or -1 if no descriptor is free
     */
    public int addIndirectChain(long table, long[] addresses, int[] lengths, int readable) {
        int n = checkChain(addresses, lengths);
        if (freeCount == 0) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            int flags = (i < readable ? 0 : VirtioRing.DESC_F_WRITE) | (i + 1 < n ? VirtioRing.DESC_F_NEXT : 0);
            writeRaw(table + (long) VirtioRing.DESC_SIZE * i, addresses[i], lengths[i], flags, i + 1 < n ? i + 1 : 0);
        }
        int head = freeHead;
        writeDescriptor(head, table, n * VirtioRing.DESC_SIZE, VirtioRing.DESC_F_INDIRECT, 0);
        take(head, 1, nextFree[head]);
        offer(head);
        return head;
    }

    private static int checkChain(long[] addresses, int[] lengths) {
        int n = Objects.requireNonNull(addresses, "addresses").length;
        if (n == 0 || n != Objects.requireNonNull(lengths, "lengths").length) {
            throw new IllegalArgumentException("a chain needs one length per address, and at least one buffer");
        }
        return n;
    }

    private void take(int head, int n, int newFreeHead) {
        chainLength[head] = n;
        freeHead = newFreeHead;
        freeCount -= n;
    }

    /**
     * Writes one descriptor of the direct table, as is.
     *
     * @param index the descriptor index
     * @param address the buffer's guest address
     * @param length its length
     * @param flags DESC_F_* bits
     * @param next the next index when DESC_F_NEXT is set
     */
    public void writeDescriptor(int index, long address, int length, int flags, int next) {
        writeRaw(layout.descriptor(Objects.checkIndex(index, layout.size())), address, length, flags, next);
    }

    private void writeRaw(long at, long address, int length, int flags, int next) {
        memory.writeLong(at, address);
        memory.writeInt(at + 8, length);
        memory.writeShort(at + 12, (short) flags);
        memory.writeShort(at + 14, (short) next);
    }

    /**
     * Puts a head in the next avail->ring slot without publishing it.
     *
     * @param head the head index (any value: tests forge bad ones)
     */
    public void offer(int head) {
        memory.writeShort(layout.availSlot(availIdx), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
    }

    /** Publishes every offered head by storing avail->idx. */
    public void publish() {
        // Pairs with the device's acquire fence after its avail->idx load: it sees the
        // descriptors and ring slots written before this store.
        VarHandle.releaseFence();
        memory.writeShort(layout.availIdx(), (short) availIdx);
    }

    /**
     * Stores an arbitrary avail->idx, as a hostile guest might.
     *
     * @param idx the index, u16
     */
    public void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        memory.writeShort(layout.availIdx(), (short) availIdx);
    }

    /**
     * Decides whether the device asked for a kick for what was published since the last
     * call: Linux's {@code virtqueue_kick_prepare}.
     *
     * @return true if the driver should notify the device
     */
    public boolean needsKick() {
        // Pairs with the device's full fence between enabling notifications and re-reading
        // avail->idx: either it sees our index or we see its request.
        GuestMemory.fence();
        int oldIdx = kickCheckedIdx;
        int newIdx = availIdx;
        kickCheckedIdx = newIdx;
        if (eventIdx) {
            return VirtioRing.needEvent(memory.readShort(layout.availEvent()) & 0xffff, newIdx, oldIdx);
        }
        return (memory.readShort(layout.usedFlags()) & VirtioRing.USED_F_NO_NOTIFY) == 0;
    }

    /**
     * Reaps one used element and returns its chain's descriptors to the free list.
     *
     * @return the head index, or -1 if the device has published nothing new
     */
    public int pollUsed() {
        int idx = memory.readShort(layout.usedIdx()) & 0xffff;
        if (idx == lastUsedIdx) {
            return -1;
        }
        // Pairs with the device's release fence before its used->idx store.
        VarHandle.acquireFence();
        long slot = layout.usedSlot(lastUsedIdx);
        lastUsedHead = memory.readInt(slot);
        lastUsedLength = Integer.toUnsignedLong(memory.readInt(slot + 4));
        lastUsedIdx = (lastUsedIdx + 1) & 0xffff;
        release(lastUsedHead);
        return lastUsedHead;
    }

    private void release(int head) {
        int tail = head;
        for (int i = 1; i < chainLength[head]; i++) {
            tail = nextFree[tail];
        }
        nextFree[tail] = freeHead;
        freeHead = head;
        freeCount += chainLength[head];
    }

    /** The written length of the element {@link #pollUsed()} last returned. */
    public long lastUsedLength() {
        return lastUsedLength;
    }

    /** The used-ring index the driver will reap next. */
    public int lastUsedIdx() {
        return lastUsedIdx;
    }

    /**
     * Asks the device for interrupts, or not: avail->flags NO_INTERRUPT without EVENT_IDX,
     * used_event with it (set to the next used index to reap, or to one already passed to
     * suppress them). After enabling, re-checks the used ring, as Linux's
     * {@code virtqueue_enable_cb} does.
     *
     * @param enable true to ask for interrupts
     * @return true if enabling found used elements already published, to reap now
     */
    public boolean enableInterrupts(boolean enable) {
        if (eventIdx) {
            // Disabling writes an index the device has already passed: it will not cross it again
            // until used->idx wraps.
            setUsedEvent(enable ? lastUsedIdx : lastUsedIdx - 1);
        } else {
            memory.writeShort(layout.availFlags(), (short) (enable ? 0 : VirtioRing.AVAIL_F_NO_INTERRUPT));
        }
        if (!enable) {
            return false;
        }
        // Pairs with the device's full fence in needsNotification.
        GuestMemory.fence();
        return (memory.readShort(layout.usedIdx()) & 0xffff) != lastUsedIdx;
    }

    /**
     * Stores used_event as is: "interrupt me when used->idx passes this".
     *
     * @param idx the index, u16
     */
    public void setUsedEvent(int idx) {
        memory.writeShort(layout.usedEvent(), (short) idx);
    }

    /** The device's avail_event, u16. */
    public int availEvent() {
        return memory.readShort(layout.availEvent()) & 0xffff;
    }

    /** The device's used->flags, u16. */
    public int usedFlags() {
        return memory.readShort(layout.usedFlags()) & 0xffff;
    }
}
