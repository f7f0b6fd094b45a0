package org.hvkit.block.virtio.driver;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.transport.InterruptSink;
import org.hvkit.block.virtio.transport.VirtioTransport;

/**
 * A model of a guest's virtio-blk driver over any {@link VirtioTransport}: the initialisation
 * sequence of virtio 1.2 §3.1.1, rings laid out by a bump allocator in a given range of guest
 * RAM, and requests as 3-part chains (header, data, status) built from per-slot header and
 * status areas preallocated there too.
 *
 * <p>Thread-safety: one driver thread calls every method, as one vCPU holding the queue lock
 * would; the exception is the {@link InterruptSink} this driver installs, which the device
 * calls from any thread: it only sets a per-queue pending flag. Callbacks run in the driver
 * thread, inside {@link #reapCompletions(int)}; nothing runs them from the interrupt.
 */
public final class VirtioBlkDriver {

    /** The features this driver knows how to use. */
    public static final long SUPPORTED = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_EVENT_IDX) | VirtioBlkFeatures.bit(VirtioBlkFeatures.FLUSH)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.BLK_SIZE) | VirtioBlkFeatures.bit(VirtioBlkFeatures.SEG_MAX)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.SIZE_MAX) | VirtioBlkFeatures.bit(VirtioBlkFeatures.MQ)
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RO);

    /** What a request's submitter hears when the device completes it. */
    @FunctionalInterface
    public interface RequestCallback {
        /**
         * The request completed. Called in the thread that calls {@link #reapCompletions(int)}.
         *
         * @param status the status byte: S_OK, S_IOERR or S_UNSUPP
         */
        void completed(int status);
    }

    private final VirtioTransport transport;
    private final GuestMemory memory;
    private final long ramEnd;
    private long next;
    private long negotiated;
    private long capacitySectors;
    private Queue[] queues = new Queue[0];
    /**
     * One pending flag per queue, set by the interrupt sink and cleared by reapCompletions.
     * Volatile: replaced at initialisation in the driver thread, read by the sink in any thread.
     */
    private volatile AtomicIntegerArray pending = new AtomicIntegerArray(0);

    /** One virtqueue's driver state: the ring, the slot areas and the callbacks by head. */
    private static final class Queue {
        final DriverRing ring;
        final long headers;
        final long statuses;
        final RequestCallback[] callbacks;
        final int[] slotOfHead;
        final int[] freeSlots;
        int freeSlotCount;
        int inFlight;
        long kicks;

        Queue(DriverRing ring, long headers, long statuses, int size) {
            this.ring = ring;
            this.headers = headers;
            this.statuses = statuses;
            this.callbacks = new RequestCallback[size];
            this.slotOfHead = new int[size];
            this.freeSlots = new int[size];
            for (int i = 0; i < size; i++) {
                freeSlots[i] = size - 1 - i;
            }
            this.freeSlotCount = size;
        }
    }

    /**
     * Creates a driver for a device in whatever state; {@link #initialise} resets it.
     *
     * @param transport the device
     * @param memory the guest memory
     * @param ramBase the first guest address the driver may allocate rings and slot areas in
     * @param ramSize the bytes it may use from there
     */
    public VirtioBlkDriver(VirtioTransport transport, GuestMemory memory, long ramBase, long ramSize) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.memory = Objects.requireNonNull(memory, "memory");
        if (!memory.contains(ramBase, ramSize)) {
            throw new IllegalArgumentException("the allocation range is not in guest memory");
        }
        this.next = ramBase;
        this.ramEnd = ramBase + ramSize;
    }

    /**
     * Resets the device and brings it up: ACKNOWLEDGE, DRIVER, features, FEATURES_OK (checked),
     * queues set up, interrupt sink, DRIVER_OK; then reads the capacity.
     *
     * @param queueCount queues to set up, up to the device's number
     * @param queueSize the size of each, a power of two up to the device's maximum
     * @param wantedFeatures the features the caller would like; the driver accepts those the
     *     device offers and it supports, VERSION_1 always
     * @throws IllegalStateException if the device refuses FEATURES_OK
     */
    public void initialise(int queueCount, int queueSize, long wantedFeatures) {
        if (queueCount < 1 || queueCount > transport.numQueues() || queueSize > transport.maxQueueSize()) {
            throw new IllegalArgumentException("the device has " + transport.numQueues() + " queues of at most "
                    + transport.maxQueueSize() + ": " + queueCount + " x " + queueSize);
        }
        transport.status(0);
        int s = DeviceStatus.ACKNOWLEDGE;
        transport.status(s);
        s |= DeviceStatus.DRIVER;
        transport.status(s);
        negotiated = transport.deviceFeatures() & SUPPORTED
                & (wantedFeatures | VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1));
        transport.driverFeatures(negotiated);
        s |= DeviceStatus.FEATURES_OK;
        transport.status(s);
        if ((transport.status() & DeviceStatus.FEATURES_OK) == 0) {
            transport.status(s | DeviceStatus.FAILED);
            throw new IllegalStateException("the device refused features 0x" + Long.toHexString(negotiated));
        }
        setUpQueues(queueCount, queueSize);
        transport.interrupts(new Sink());
        transport.status(s | DeviceStatus.DRIVER_OK);
        capacitySectors = transport.readConfig(VirtioBlkConfig.OFFSET_CAPACITY, 8);
    }

    private void setUpQueues(int queueCount, int queueSize) {
        pending = new AtomicIntegerArray(queueCount);
        queues = new Queue[queueCount];
        for (int q = 0; q < queueCount; q++) {
            RingLayout layout = RingLayout.contiguous(allocate(RingLayout.totalBytes(queueSize)), queueSize);
            long headers = allocate((long) VirtioBlkProtocol.OUT_HEADER_SIZE * queueSize);
            long statuses = allocate(queueSize);
            queues[q] = new Queue(new DriverRing(memory, layout, negotiated), headers, statuses, queueSize);
            transport.setUpQueue(q, queueSize, layout.descTable(), layout.availRing(), layout.usedRing());
        }
    }

    /** Bump allocation, 16-byte aligned; never freed (a reset re-initialises from where it was). */
    private long allocate(long bytes) {
        long at = (next + 15) & ~15L;
        if (at + bytes > ramEnd) {
            throw new IllegalStateException("guest RAM range exhausted: " + bytes + " more bytes needed");
        }
        next = at + bytes;
        return at;
    }

    /** The negotiated features. */
    public long features() {
        return negotiated;
    }

    /** The capacity in 512-byte sectors, as read from config space at initialisation. */
    public long capacitySectors() {
        return capacitySectors;
    }

    /**
     * Submits one request: header (readable), data unless {@code length} is 0 (readable for
     * OUT, writable otherwise), status (writable). Publishes it and kicks the device if the
     * ring says the device asked for a kick.
     *
     * @param queue the queue index
     * @param type a VirtioBlkProtocol T_* type
     * @param sector the first sector
     * @param bufferAddress the guest address of the data buffer
     * @param length its length, 0 for none (FLUSH)
     * @param callback called with the status byte from {@link #reapCompletions(int)}
     * @return false if the queue has no free slot or descriptors; nothing was submitted
     */
    public boolean submit(int queue, int type, long sector, long bufferAddress, int length, RequestCallback callback) {
        Objects.requireNonNull(callback, "callback");
        Queue q = queues[Objects.checkIndex(queue, queues.length)];
        if (q.freeSlotCount == 0) {
            return false;
        }
        int slot = q.freeSlots[q.freeSlotCount - 1];
        long header = q.headers + (long) VirtioBlkProtocol.OUT_HEADER_SIZE * slot;
        long status = q.statuses + slot;
        memory.writeInt(header, type);
        memory.writeInt(header + 4, 0);
        memory.writeLong(header + 8, sector);
        memory.writeByte(status, (byte) 0xff);
        int head = length == 0
                ? q.ring.addChain(new long[] {header, status}, new int[] {VirtioBlkProtocol.OUT_HEADER_SIZE, 1}, 1)
                : q.ring.addChain(new long[] {header, bufferAddress, status},
                        new int[] {VirtioBlkProtocol.OUT_HEADER_SIZE, length, 1},
                        type == VirtioBlkProtocol.T_OUT ? 2 : 1);
        if (head < 0) {
            return false;
        }
        q.freeSlotCount--;
        q.slotOfHead[head] = slot;
        q.callbacks[head] = callback;
        q.inFlight++;
        q.ring.publish();
        if (q.ring.needsKick()) {
            q.kicks++;
            transport.notifyQueue(queue);
        }
        return true;
    }

    /**
     * Reaps every used element of a queue and calls each request's callback with its status
     * byte, in this thread. Clears the queue's interrupt-pending flag first, so an interrupt
     * arriving during the reap is seen by the next call.
     *
     * @param queue the queue index
     * @return the number of requests completed
     */
    public int reapCompletions(int queue) {
        Queue q = queues[Objects.checkIndex(queue, queues.length)];
        // Volatile write: pairs with the sink's volatile set; a later interrupt is not lost.
        pending.set(queue, 0);
        int done = 0;
        for (int head = q.ring.pollUsed(); head >= 0; head = q.ring.pollUsed()) {
            int slot = q.slotOfHead[head];
            RequestCallback callback = q.callbacks[head];
            q.callbacks[head] = null;
            q.freeSlots[q.freeSlotCount++] = slot;
            q.inFlight--;
            done++;
            callback.completed(memory.readByte(q.statuses + slot) & 0xff);
        }
        return done;
    }

    /** True if the device interrupted for this queue since the last {@link #reapCompletions}. Any thread. */
    public boolean interruptPending(int queue) {
        return pending.get(queue) != 0;
    }

    /** Requests submitted and not yet reaped on a queue. */
    public int inFlight(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].inFlight;
    }

    /** Kicks sent to the device for a queue since initialisation. */
    public long kicks(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].kicks;
    }

    /** The driver's ring of a queue, for tests and diagnostics. */
    public DriverRing ring(int queue) {
        return queues[Objects.checkIndex(queue, queues.length)].ring;
    }

    /** Flags the queue; the device calls it from any thread. */
    private final class Sink implements InterruptSink {
        @Override
        public void queueInterrupt(int queue) {
            AtomicIntegerArray p = pending;
            if (queue >= 0 && queue < p.length()) {
                // Volatile set: pairs with the clear in reapCompletions.
                p.set(queue, 1);
            }
        }

        @Override
        public void configChanged() {
            // The model does not handle NEEDS_RESET; the driver thread reads status() itself.
        }
    }
}
