package org.hvkit.block.virtio.queue;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;

/**
 * The device side of a split virtqueue (virtio 1.2 §2.7): takes descriptor chains from the
 * available ring, returns them through the used ring, and decides on notifications both
 * ways (avail/used flags, or used_event/avail_event with {@code VIRTIO_RING_F_EVENT_IDX}).
 *
 * <p>The guest is untrusted. Anything it writes that breaks the ring rules (see
 * {@link ChainParser}, plus a head index out of range and an avail index running more than
 * the size ahead) makes the queue BROKEN: {@link #pop} returns null and {@link #push},
 * {@link #publish} and the notification methods do nothing until {@link #reset()}. The
 * device maps BROKEN to NEEDS_RESET. No exception leaves these methods for any guest memory
 * contents; only device bugs (a bad head in push, a push with nothing in flight) throw.
 *
 * <p>A handler uses it as QEMU's virtio-blk does:
 * <pre>{@code
 * do {
 *     queue.enableGuestNotifications(false);   // no kicks while we drain
 *     for (VirtqueueElement e; (e = queue.pop()) != null; ) {
 *         submit(e);                            // copy what the request needs first
 *     }
 * } while (queue.enableGuestNotifications(true) && !queue.isBroken());
 * if (queue.isBroken()) { enterNeedsReset(); }
 *
 * // on completions, in the same context:
 * queue.push(head, written);
 * // once per burst:
 * queue.publish();
 * if (queue.needsNotification()) { interruptGuest(); }
 * }</pre>
 *
 * <p>Allocation: the element and all state are allocated at construction; pop, push,
 * publish and the notification methods allocate nothing while the queue is healthy.
 *
 * <p>Thread-safety: only the queue's home thread (its AioContext) calls pop/push and every
 * other method; the guest is the only other party, and it is ordered against us by the
 * fences named at each access. Monitor readers on other threads see possibly stale
 * indices, which is all a monitor needs.
 */
public final class SplitVirtqueue {

    static final String AVAIL_IDX_RAN_AHEAD = "avail idx more than the queue size ahead of last_avail_idx";
    static final String TOO_MANY_IN_FLIGHT = "more heads in use than the queue size";
    static final String HEAD_OUT_OF_RANGE = "available head index out of range";
    static final String RING_OUTSIDE_RAM = "ring outside guest RAM";
    static final String USED_RING_OVERLAPS = "used ring overlaps the descriptor table or the available ring";

    private final GuestMemory memory;
    private final RingLayout layout;
    private final boolean eventIdx;
    private final ChainParser parser;
    private final VirtqueueElement element;

    private int lastAvailIdx;
    /** avail->idx as last read: no need to read guest memory again until we catch up. */
    private int shadowAvailIdx;
    /** Where the next push writes; published to used->idx by publish(). */
    private int usedIdx;
    private int publishedUsedIdx;
    private int inFlight;
    /** used->idx at the last notification decision, for vring_need_event's old index. */
    private int signalledUsed;
    private boolean signalledUsedValid;
    /** True if publish() stored a new used->idx since the last notification decision. */
    private boolean unsignalled;
    private boolean guestNotifications;
    private String brokenReason;

    /**
     * Configures a queue; it starts healthy, with guest notifications enabled, unless the
     * rings do not lie in guest RAM or the used ring overlaps the descriptor table or the
     * available ring, in which case it starts BROKEN.
     *
     * @param memory the guest memory
     * @param layout the queue size and ring addresses, as the driver wrote them
     * @param features the negotiated feature bits (EVENT_IDX and INDIRECT_DESC matter here)
     */
    public SplitVirtqueue(GuestMemory memory, RingLayout layout, long features) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.eventIdx = VirtioRing.has(features, VirtioRing.F_EVENT_IDX);
        this.parser = new ChainParser(memory, layout, VirtioRing.has(features, VirtioRing.F_INDIRECT_DESC));
        this.element = new VirtqueueElement(layout.size());
        reset();
    }

    /**
     * Returns the queue to its initial state: indices 0, nothing in flight, not BROKEN,
     * guest notifications enabled. Used on device reset.
     */
    public void reset() {
        lastAvailIdx = 0;
        shadowAvailIdx = 0;
        usedIdx = 0;
        publishedUsedIdx = 0;
        inFlight = 0;
        signalledUsed = 0;
        signalledUsedValid = false;
        unsignalled = false;
        guestNotifications = true;
        brokenReason = !layout.fitsIn(memory) ? RING_OUTSIDE_RAM
                // Our used-ring writes must never feed back into what pop reads: that would let
                // one kick pop more than the queue size, without bound (found with the virtqueue fuzz target).
                : layout.usedRingOverlaps() ? USED_RING_OVERLAPS : null;
    }

    /**
     * Resets the queue and places it at a ring position the transport was given, as
     * vhost-user's SET_VRING_BASE does for a queue that resumes: the next pop takes the
     * available entry {@code index}, and the used ring continues at the same index (a queue
     * stops only with nothing in flight, so both indices were equal when it stopped).
     *
     * @param index the 16-bit ring index
     */
    public void resumeAt(int index) {
        reset();
        int i = index & 0xffff;
        lastAvailIdx = i;
        shadowAvailIdx = i;
        usedIdx = i;
        publishedUsedIdx = i;
    }

    /**
     * Takes the next available chain into the queue's own element, valid until the next pop.
     *
     * @return the element, or null if the ring is empty or the queue is BROKEN
     */
    public VirtqueueElement pop() {
        return pop(element);
    }

    /**
     * Takes the next available chain into a caller's element.
     *
     * @param into an element with a capacity of at least the queue size
     * @return {@code into}, or null if the ring is empty or the queue is BROKEN
     */
    public VirtqueueElement pop(VirtqueueElement into) {
        if (into.capacity() < layout.size()) {
            throw new IllegalArgumentException("element capacity below the queue size");
        }
        if (brokenReason != null) {
            return null;
        }
        try {
            return popChecked(into);
        } catch (GuestMemoryException e) {
            markBroken(RING_OUTSIDE_RAM);
            return null;
        }
    }

    private VirtqueueElement popChecked(VirtqueueElement into) {
        if (!hasAvailable()) {
            return null;
        }
        if (inFlight >= layout.size()) {
            return markBroken(TOO_MANY_IN_FLIGHT); // CVE-2016-5403
        }
        int head = memory.readShort(layout.availSlot(lastAvailIdx)) & 0xffff;
        if (head >= layout.size()) {
            return markBroken(HEAD_OUT_OF_RANGE);
        }
        String error = parser.parse(head, into);
        if (error != null) {
            return markBroken(error);
        }
        lastAvailIdx = (lastAvailIdx + 1) & 0xffff;
        inFlight++;
        if (eventIdx && guestNotifications) {
            // "Kick me when you publish the entry after the one I just took."
            memory.writeShort(layout.availEvent(), (short) lastAvailIdx);
        }
        return into;
    }

    /**
     * Tells whether avail->idx is ahead of last_avail_idx, reading it only when the shadow
     * copy is used up; marks the queue BROKEN if the guest moved it more than the size ahead.
     */
    private boolean hasAvailable() {
        if (shadowAvailIdx != lastAvailIdx) {
            return true;
        }
        int idx = memory.readShort(layout.availIdx()) & 0xffff;
        if (((idx - lastAvailIdx) & 0xffff) > layout.size()) {
            markBroken(AVAIL_IDX_RAN_AHEAD);
            return false;
        }
        shadowAvailIdx = idx;
        // Pairs with the driver's write barrier before its avail->idx store: the ring slots
        // and descriptors we read after this are at least as new as the index we just read.
        VarHandle.acquireFence();
        return idx != lastAvailIdx;
    }

    /**
     * Writes a used element for a completed chain; the guest sees it after {@link #publish()}.
     *
     * @param head the element's head index
     * @param writtenLength bytes written into the chain's writable segments (unsigned 32-bit)
     * @throws IndexOutOfBoundsException if head is not below the size (a device bug)
     * @throws IllegalStateException if nothing is in flight (a device bug)
     */
    public void push(int head, int writtenLength) {
        Objects.checkIndex(head, layout.size());
        if (brokenReason != null) {
            return;
        }
        if (inFlight == 0) {
            throw new IllegalStateException("push with no chain in flight");
        }
        try {
            long slot = layout.usedSlot(usedIdx);
            memory.writeInt(slot, head);
            memory.writeInt(slot + 4, writtenLength);
        } catch (GuestMemoryException e) {
            markBroken(RING_OUTSIDE_RAM);
            return;
        }
        usedIdx = (usedIdx + 1) & 0xffff;
        inFlight--;
    }

    /**
     * Makes every pushed element visible to the guest by storing used->idx.
     */
    public void publish() {
        if (brokenReason != null || usedIdx == publishedUsedIdx) {
            return;
        }
        // Pairs with the driver's read barrier after its used->idx load: it sees the used
        // elements written by push before it sees the index that covers them.
        VarHandle.releaseFence();
        try {
            memory.writeShort(layout.usedIdx(), (short) usedIdx);
        } catch (GuestMemoryException e) {
            markBroken(RING_OUTSIDE_RAM);
            return;
        }
        publishedUsedIdx = usedIdx;
        unsignalled = true;
    }

    /**
     * Decides whether the guest wants an interrupt for what {@link #publish()} exposed since
     * the last decision: without EVENT_IDX unless avail->flags has NO_INTERRUPT; with it if
     * used->idx passed used_event ({@code vring_need_event}). Never for nothing new.
     *
     * @return true if the device should interrupt the guest now
     */
    public boolean needsNotification() {
        if (brokenReason != null) {
            return false;
        }
        // A full fence, not an acquire: our used->idx store must be visible before we load
        // used_event or the flags. Pairs with the driver's full barrier between writing
        // used_event (or clearing NO_INTERRUPT) and re-reading used->idx: either we see its
        // request here or it sees our new index there.
        GuestMemory.fence();
        if (!unsignalled) {
            return false;
        }
        int newIdx = publishedUsedIdx;
        int oldIdx = signalledUsed;
        boolean valid = signalledUsedValid;
        unsignalled = false;
        signalledUsed = newIdx;
        signalledUsedValid = true;
        try {
            if (!eventIdx) {
                return (memory.readShort(layout.availFlags()) & VirtioRing.AVAIL_F_NO_INTERRUPT) == 0;
            }
            int usedEvent = memory.readShort(layout.usedEvent()) & 0xffff;
            return !valid || VirtioRing.needEvent(usedEvent, newIdx, oldIdx);
        } catch (GuestMemoryException e) {
            markBroken(RING_OUTSIDE_RAM);
            return false;
        }
    }

    /**
     * Asks the guest to kick, or not to kick, when it makes buffers available: without
     * EVENT_IDX through used->flags NO_NOTIFY; with it by writing avail_event (enable) or
     * by no longer advancing it (disable). After enabling, re-checks the ring: a buffer the
     * guest published before it could see the change would otherwise wait forever.
     *
     * @param enable true to ask for kicks
     * @return true if enabling found buffers already available, which the caller must pop
     *     now, since no kick will come for them
     */
    public boolean enableGuestNotifications(boolean enable) {
        guestNotifications = enable;
        if (brokenReason != null) {
            return false;
        }
        try {
            if (!eventIdx) {
                memory.writeShort(layout.usedFlags(), (short) (enable ? 0 : VirtioRing.USED_F_NO_NOTIFY));
            } else if (enable) {
                memory.writeShort(layout.availEvent(), memory.readShort(layout.availIdx()));
            }
            if (!enable) {
                return false;
            }
            // Pairs with the driver's full barrier between its avail->idx store and its load
            // of avail_event or used->flags: either it sees our request and kicks, or we see
            // its new index in the re-check below.
            GuestMemory.fence();
            return hasAvailable();
        } catch (GuestMemoryException e) {
            markBroken(RING_OUTSIDE_RAM);
            return false;
        }
    }

    private VirtqueueElement markBroken(String reason) {
        brokenReason = reason;
        return null;
    }

    /** True once the guest broke a ring rule; the device should enter NEEDS_RESET. */
    public boolean isBroken() {
        return brokenReason != null;
    }

    /** Why the queue is BROKEN, for the monitor, or null if it is not. */
    public String brokenReason() {
        return brokenReason;
    }

    /** The next available-ring index the device will take. */
    public int lastAvailIdx() {
        return lastAvailIdx;
    }

    /** avail->idx as the device last read it (the guest may have moved it since). */
    public int availIdx() {
        return shadowAvailIdx;
    }

    /** The used-ring index of the next push (pushed, maybe not yet published). */
    public int usedIdx() {
        return usedIdx;
    }

    /** Chains popped and not yet pushed. */
    public int inFlight() {
        return inFlight;
    }

    /** The layout the queue was configured with. */
    public RingLayout layout() {
        return layout;
    }

    /** True if VIRTIO_RING_F_EVENT_IDX was negotiated. */
    public boolean eventIdx() {
        return eventIdx;
    }
}
