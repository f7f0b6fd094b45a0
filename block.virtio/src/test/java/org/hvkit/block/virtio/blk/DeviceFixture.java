package org.hvkit.block.virtio.blk;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * A device on real contexts from the factory, driven through the transport by one
 * {@link DriverRing} per queue. The test thread polls every context, so it is their home
 * thread and the test steps the loops one poll at a time.
 */
final class DeviceFixture implements AutoCloseable {

    static final long RAM_BASE = 0x10000;
    static final int RAM_SIZE = 0x800000;
    static final int QUEUE_SIZE = 128;
    static final long FEATURES = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1);
    static final int BLOCK = 512;

    static final AioContextFactory FACTORY = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final List<AioContext> contexts = new ArrayList<>();
    final RecordingSink sink = new RecordingSink();
    final VirtioBlkDevice device;
    final DriverRing[] drivers;
    /** The feature bits the driver accepts in {@link #negotiate()}. */
    final long features;

    DeviceFixture(int queues, int contextCount, BlockBackend backend) {
        this(queues, contextCount, backend, FEATURES);
    }

    DeviceFixture(int queues, int contextCount, BlockBackend backend, long features) {
        this(queues, contextCount, backend, features, "sliced");
    }

    /** With contexts of the named scheduler ({@code sliced} or {@code linear}). */
    DeviceFixture(int queues, int contextCount, BlockBackend backend, long features, String scheduler) {
        this.features = features;
        for (int i = 0; i < contextCount; i++) {
            contexts.add(FACTORY.create("test" + i, scheduler));
        }
        VirtioBlkConfig config = VirtioBlkConfig.defaults(backend.capacity(), queues, QUEUE_SIZE);
        device = new VirtioBlkDevice(memory, config, backend, "hvkit-test", QUEUE_SIZE, contexts);
        device.interrupts(sink);
        drivers = new DriverRing[queues];
    }

    /** Counts what the device raises; atomics, as queues may run in threads of their own. */
    static final class RecordingSink implements InterruptSink {
        final AtomicIntegerArray queueInterrupts = new AtomicIntegerArray(16);
        final AtomicInteger configChanges = new AtomicInteger();

        @Override
        public void queueInterrupt(int queue) {
            queueInterrupts.incrementAndGet(queue);
        }

        @Override
        public void configChanged() {
            configChanges.incrementAndGet();
        }
    }

    /** ACKNOWLEDGE, DRIVER, features, FEATURES_OK and ring setup: everything but DRIVER_OK. */
    void negotiate() {
        device.status(DeviceStatus.ACKNOWLEDGE);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        device.driverFeatures(features);
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        for (int q = 0; q < drivers.length; q++) {
            RingLayout layout = RingLayout.contiguous(ringBase(q), QUEUE_SIZE);
            drivers[q] = new DriverRing(memory, layout, features);
            device.setUpQueue(q, QUEUE_SIZE, layout.descTable(), layout.availRing(), layout.usedRing());
        }
    }

    void driverOk() {
        device.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
                | DeviceStatus.DRIVER_OK);
    }

    void initialise() {
        negotiate();
        driverOk();
    }

    static long ringBase(int q) {
        return RAM_BASE + 0x4000L * q;
    }

    static long header(int q, int slot) {
        return 0x100000 + 0x100000L * q + 16L * slot;
    }

    static long status(int q, int slot) {
        return 0x100000 + 0x100000L * q + 0x1000 + slot;
    }

    static long data(int q, int slot) {
        return 0x100000 + 0x100000L * q + 0x10000 + 0x1000L * slot;
    }

    /** Offers an IN or OUT of one block at {@code sector} from slot {@code slot}'s buffers; not published. */
    void offer(int q, int slot, int type, long sector) {
        memory.writeInt(header(q, slot), type);
        memory.writeInt(header(q, slot) + 4, 0);
        memory.writeLong(header(q, slot) + 8, sector);
        memory.writeByte(status(q, slot), (byte) 0xff);
        boolean out = type == VirtioBlkProtocol.T_OUT;
        drivers[q].addChain(new long[] {header(q, slot), data(q, slot), status(q, slot)},
                new int[] {16, BLOCK, 1}, out ? 2 : 1);
    }

    /** Offers, publishes and kicks one request. */
    void submit(int q, int slot, int type, long sector) {
        offer(q, slot, type, sector);
        drivers[q].publish();
        device.notifyQueue(q);
    }

    /** Polls one context until it makes no more progress (bounded). */
    void poll(int context) {
        for (int i = 0; i < 100 && contexts.get(context).poll(false); i++) {
            // keep going: handler, then the interrupt BH
        }
    }

    void pollAll() {
        for (int c = 0; c < contexts.size(); c++) {
            poll(c);
        }
    }

    int statusByte(int q, int slot) {
        return memory.readByte(status(q, slot)) & 0xff;
    }

    @Override
    public void close() {
        device.close();
        for (AioContext c : contexts) {
            c.close();
        }
    }
}
