package org.hvkit.block.virtio.queue;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;

/** Guest RAM with one ring, a driver on it and the device queue: the parts every queue test needs. */
final class RingFixture {

    static final long RAM_BASE = 0x10000;
    static final int RAM_SIZE = 0x100000;
    static final long RAM_END = RAM_BASE + RAM_SIZE;
    /** Data buffers and indirect tables go above the ring. */
    static final long DATA = 0x80000;
    static final long TABLE = 0x70000;

    static final long INDIRECT = 1L << VirtioRing.F_INDIRECT_DESC;
    static final long EVENT_IDX = 1L << VirtioRing.F_EVENT_IDX;
    static final long VERSION_1 = 1L << VirtioRing.F_VERSION_1;

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final RingLayout layout;
    final DriverRing driver;
    final SplitVirtqueue queue;

    RingFixture(int size, long features) {
        layout = RingLayout.contiguous(RAM_BASE, size);
        driver = new DriverRing(memory, layout, features | VERSION_1);
        queue = new SplitVirtqueue(memory, layout, features | VERSION_1);
    }

    /** A segment as the tests compare them. */
    record Segment(long address, long length) {
    }

    static List<Segment> readable(VirtqueueElement e) {
        List<Segment> list = new ArrayList<>();
        for (int i = 0; i < e.readableCount(); i++) {
            list.add(new Segment(e.readableAddress(i), e.readableLength(i)));
        }
        return list;
    }

    static List<Segment> writable(VirtqueueElement e) {
        List<Segment> list = new ArrayList<>();
        for (int i = 0; i < e.writableCount(); i++) {
            list.add(new Segment(e.writableAddress(i), e.writableLength(i)));
        }
        return list;
    }

    /** Offers and publishes a one-buffer readable chain at {@link #DATA}. */
    int submitOne() {
        int head = driver.addChain(new long[] {DATA}, new int[] {512}, 1);
        driver.publish();
        return head;
    }
}
