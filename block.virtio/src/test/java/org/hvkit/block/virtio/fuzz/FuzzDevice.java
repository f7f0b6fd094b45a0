package org.hvkit.block.virtio.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * A virtio-blk device on real contexts from the factory, reused by every input of a fuzz
 * target: the target's thread polls the contexts (it is their home thread), so an input runs
 * deterministically, and a reset (status 0) between inputs returns the device to its initial
 * state without a wait. Guest RAM is one region sized exactly, so any access past it is an
 * exception the target sees.
 *
 * <p>Layout of guest RAM: queue {@code q}'s rings at {@link #ringBase}, its driver's request
 * buffers at {@link #buffers}, the rest free for a target's own use from {@link #FREE}.
 *
 * <p>Thread-safety: none; made and used by one thread, which must be the one that polls.
 */
final class FuzzDevice implements AutoCloseable {

    static final long RAM_BASE = 0x10000;
    /** Per queue: 0x800 bytes of rings, then 0x1800 of request buffers. */
    static final int QUEUE_AREA = 0x2000;
    static final int BLOCK = VirtioBlkProtocol.SECTOR_SIZE;
    static final long VERSION_1 = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1);
    static final String SERIAL = "hvkit-fuzz";

    private static final AioContextFactory FACTORY =
            ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();

    final Thread owner = Thread.currentThread();
    final int ramSize;
    final GuestMemory memory;
    /** Reused by every input: its shadow copy is as large as RAM. */
    final GuestRamWatch watch;
    final List<AioContext> contexts = new ArrayList<>();
    final VirtioBlkConfig config;
    final FuzzBackend backend;
    final VirtioBlkDevice device;
    final int queueSize;
    final DriverRing[] drivers;
    final int[] configChanges = new int[1];
    private final byte[] zeroes;
    /** What the backend holds at the start of every input. */
    private final byte[] pattern;
    private final GuestMemory patternMemory;

    /**
     * @param queues the device's queues
     * @param contextCount contexts, queues mapped round-robin
     * @param queueSize the size of every queue (at most 64: the rings must fit {@link #QUEUE_AREA})
     * @param config the configuration space, or null for QEMU's defaults on a 64-sector disk
     * @param readOnly a read-only backend
     * @param ramSize bytes of guest RAM: the queues' areas and what the target needs above them
     */
    FuzzDevice(int queues, int contextCount, int queueSize, VirtioBlkConfig config, boolean readOnly, int ramSize) {
        this.ramSize = ramSize;
        this.memory = GuestMemory.allocate(RAM_BASE, ramSize);
        this.zeroes = new byte[ramSize];
        this.watch = new GuestRamWatch(memory);
        this.queueSize = queueSize;
        this.config = config != null ? config : VirtioBlkConfig.defaults(64L * BLOCK, queues, queueSize);
        this.backend = new FuzzBackend(this.config.capacitySectors() * BLOCK, readOnly);
        for (int i = 0; i < contextCount; i++) {
            AioContext c = FACTORY.create("fuzz" + i);
            c.poll(false); // makes this thread its home thread: a reset here then never waits
            contexts.add(c);
        }
        device = new VirtioBlkDevice(memory, this.config, backend, SERIAL, queueSize, contexts);
        device.interrupts(new InterruptSink() {
            @Override
            public void queueInterrupt(int queue) {
            }

            @Override
            public void configChanged() {
                configChanges[0]++;
            }
        });
        drivers = new DriverRing[queues];
        int capacity = (int) backend.capacity();
        pattern = new byte[capacity];
        for (int i = 0; i < capacity; i++) {
            pattern[i] = (byte) (i * 31 + (i >> 9));
        }
        patternMemory = GuestMemory.allocate(0, capacity);
        patternMemory.write(0, pattern, 0, capacity);
    }

    /** True if this thread made the device and may go on using it. */
    boolean ownedByThisThread() {
        return owner == Thread.currentThread();
    }

    static long ringBase(int q) {
        return RAM_BASE + (long) QUEUE_AREA * q;
    }

    static long buffers(int q) {
        return ringBase(q) + 0x800;
    }

    /** Where a target's own structures may go: above the queues' areas. */
    static long free(int queues) {
        return RAM_BASE + (long) QUEUE_AREA * queues;
    }

    /** The end of guest RAM. */
    long ramEnd() {
        return RAM_BASE + ramSize;
    }

    /** Resets the device, zeroes RAM, refills the backend and clears the watch: every input starts alike. */
    void resetForInput() {
        device.status(0);
        memory.write(RAM_BASE, zeroes, 0, ramSize);
        configChanges[0] = 0;
        backend.refill(patternMemory);
        watch.clearAllowed();
        watch.sync();
    }

    /** The backend's contents at the start of an input. */
    byte pattern(long offset) {
        return pattern[(int) offset];
    }

    /** The driver's whole initialisation with standard rings: ACKNOWLEDGE to DRIVER_OK. */
    void initialise(long features) {
        device.status(DeviceStatus.ACKNOWLEDGE);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        device.driverFeatures(features);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        for (int q = 0; q < drivers.length; q++) {
            setUpStandardQueue(q, features);
        }
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
                | DeviceStatus.DRIVER_OK);
    }

    /** Places queue {@code q}'s rings at {@link #ringBase} with a fresh driver; returns the layout. */
    RingLayout setUpStandardQueue(int q, long features) {
        RingLayout layout = RingLayout.contiguous(ringBase(q), queueSize);
        drivers[q] = new DriverRing(memory, layout, features);
        device.setUpQueue(q, queueSize, layout.descTable(), layout.availRing(), layout.usedRing());
        return layout;
    }

    /**
     * Offers and publishes (no kick) a read of one logical block at {@code sector} into slot
     * {@code slot} of queue q's buffers.
     *
     * @return the head, or -1 if the ring has too few free descriptors
     */
    int offerRead(int q, int slot, long sector) {
        long hdr = header(q, slot);
        memory.writeInt(hdr, VirtioBlkProtocol.T_IN);
        memory.writeInt(hdr + 4, 0);
        memory.writeLong(hdr + 8, sector);
        memory.writeByte(status(q, slot), (byte) 0xff);
        int head = drivers[q].addChain(new long[] {hdr, data(q, slot), status(q, slot)},
                new int[] {16, blockBytes(), 1}, 1);
        drivers[q].publish();
        return head;
    }

    /** Slots of a queue's buffers: 16-byte headers, status bytes, one block of data each (one slot with 4 KiB blocks). */
    static final int SLOTS = 8;

    /** The logical block size: the data of one slot. */
    int blockBytes() {
        return config.blkSize();
    }

    static long header(int q, int slot) {
        return buffers(q) + 16L * slot;
    }

    static long status(int q, int slot) {
        return buffers(q) + 0x100 + slot;
    }

    long data(int q, int slot) {
        return buffers(q) + 0x200 + (long) blockBytes() * slot;
    }

    /** True if slot {@code slot} of queue q holds the backend's block at {@code sector} and status OK. */
    boolean readCompleted(int q, int slot, long sector) {
        if ((memory.readByte(status(q, slot)) & 0xff) != VirtioBlkProtocol.S_OK) {
            return false;
        }
        int n = blockBytes();
        byte[] got = new byte[n];
        memory.read(data(q, slot), got, 0, n);
        int from = (int) (sector * BLOCK);
        return java.util.Arrays.equals(got, 0, n, pattern, from, from + n);
    }

    /** Polls every context until none makes progress; at most {@code 100} rounds. */
    void pollAll() {
        for (AioContext c : contexts) {
            for (int i = 0; i < 100 && c.poll(false); i++) {
                // the kick handler, then the interrupt BH
            }
        }
    }

    /** Polls one context until it makes no more progress. */
    void poll(int context) {
        AioContext c = contexts.get(context);
        for (int i = 0; i < 100 && c.poll(false); i++) {
            // as above
        }
    }

    @Override
    public void close() {
        device.close();
        for (AioContext c : contexts) {
            c.close();
        }
    }
}
