package org.hvkit.block.virtio.driver;

import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;

/**
 * One virtqueue's request state in the driver: the ring, a slot per possible request with a
 * header, a status byte and (with indirect descriptors) a 3-entry indirect table in guest
 * RAM, and the callback of each chain by head. Chains are built from scratch arrays kept
 * here, so a request allocates nothing.
 *
 * <p>Thread-safety: none; the driver thread only.
 */
final class DriverQueue {

    /** Bytes of one slot's indirect table: header, data and status descriptors. */
    static final int TABLE_BYTES = 3 * 16;

    private final GuestMemory memory;
    private final DriverRing ring;
    private final long headers;
    private final long statuses;
    /** The first slot's indirect table, or -1 without VIRTIO_RING_F_INDIRECT_DESC. */
    private final long tables;
    private final VirtioBlkDriver.RequestCallback[] callbacks;
    private final int[] slotOfHead;
    private final int[] freeSlots;
    private final long[] addresses3 = new long[3];
    private final int[] lengths3 = new int[3];
    private final long[] addresses2 = new long[2];
    private final int[] lengths2 = new int[2];
    private int freeSlotCount;
    private int inFlight;
    private long kicks;

    /**
     * A queue with {@code size} slots.
     *
     * @param memory the guest memory
     * @param ring the driver side of the ring
     * @param headers guest address of {@code size} 16-byte request headers
     * @param statuses guest address of {@code size} status bytes
     * @param tables guest address of {@code size} indirect tables of {@link #TABLE_BYTES}, or -1
     */
    DriverQueue(GuestMemory memory, DriverRing ring, long headers, long statuses, long tables) {
        int size = ring.layout().size();
        this.memory = memory;
        this.ring = ring;
        this.headers = headers;
        this.statuses = statuses;
        this.tables = tables;
        this.callbacks = new VirtioBlkDriver.RequestCallback[size];
        this.slotOfHead = new int[size];
        this.freeSlots = new int[size];
        for (int i = 0; i < size; i++) {
            freeSlots[i] = size - 1 - i;
        }
        this.freeSlotCount = size;
    }

    /**
     * Writes the header and status of a request into a free slot and offers its chain.
     *
     * @return true if offered (not yet published); false if no slot or descriptor is free
     */
    boolean add(int type, long sector, long buffer, int length, VirtioBlkDriver.RequestCallback callback) {
        if (freeSlotCount == 0) {
            return false;
        }
        int slot = freeSlots[freeSlotCount - 1];
        long header = headers + (long) VirtioBlkProtocol.OUT_HEADER_SIZE * slot;
        long status = statuses + slot;
        memory.writeInt(header, type);
        memory.writeInt(header + 4, 0);
        memory.writeLong(header + 8, sector);
        memory.writeByte(status, (byte) 0xff);
        int head = length == 0 ? addChain(slot, header, status) : addChain(slot, header, buffer, length, status,
                type == VirtioBlkProtocol.T_OUT ? 2 : 1);
        if (head < 0) {
            return false;
        }
        freeSlotCount--;
        slotOfHead[head] = slot;
        callbacks[head] = callback;
        inFlight++;
        return true;
    }

    private int addChain(int slot, long header, long status) {
        addresses2[0] = header;
        lengths2[0] = VirtioBlkProtocol.OUT_HEADER_SIZE;
        addresses2[1] = status;
        lengths2[1] = VirtioBlkProtocol.STATUS_SIZE;
        return tables < 0 ? ring.addChain(addresses2, lengths2, 1)
                : ring.addIndirectChain(table(slot), addresses2, lengths2, 1);
    }

    private int addChain(int slot, long header, long buffer, int length, long status, int readable) {
        addresses3[0] = header;
        lengths3[0] = VirtioBlkProtocol.OUT_HEADER_SIZE;
        addresses3[1] = buffer;
        lengths3[1] = length;
        addresses3[2] = status;
        lengths3[2] = VirtioBlkProtocol.STATUS_SIZE;
        return tables < 0 ? ring.addChain(addresses3, lengths3, readable)
                : ring.addIndirectChain(table(slot), addresses3, lengths3, readable);
    }

    private long table(int slot) {
        return tables + (long) TABLE_BYTES * slot;
    }

    /** Publishes what was offered; true if the device asked for a kick, which is then counted. */
    boolean publish() {
        ring.publish();
        if (ring.needsKick()) {
            kicks++;
            return true;
        }
        return false;
    }

    /**
     * Reaps every used element, re-arming interrupts after each pass as Linux's
     * {@code virtqueue_enable_cb} does (with EVENT_IDX, used_event moves to the next index to
     * reap, otherwise the device would interrupt only once), and runs each callback.
     *
     * @return the number of requests completed
     */
    int reap() {
        int done = 0;
        do {
            for (int head = ring.pollUsed(); head >= 0; head = ring.pollUsed()) {
                complete(head);
                done++;
            }
        } while (ring.enableInterrupts(true));
        return done;
    }

    private void complete(int head) {
        int slot = slotOfHead[head];
        VirtioBlkDriver.RequestCallback callback = callbacks[head];
        callbacks[head] = null;
        freeSlots[freeSlotCount++] = slot;
        inFlight--;
        callback.completed(memory.readByte(statuses + slot) & 0xff);
    }

    DriverRing ring() {
        return ring;
    }

    int inFlight() {
        return inFlight;
    }

    long kicks() {
        return kicks;
    }

    boolean indirect() {
        return tables >= 0;
    }
}
