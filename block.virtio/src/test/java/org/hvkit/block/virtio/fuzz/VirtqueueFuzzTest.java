package org.hvkit.block.virtio.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayDeque;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.queue.VirtioRing;
import org.hvkit.block.virtio.queue.VirtqueueElement;

/**
 * Fuzz target: the split virtqueue's pop/push path (SplitVirtqueue, ChainParser) under a guest
 * that writes anything anywhere in its part of RAM: descriptors, indirect tables, ring slots,
 * avail->idx, flags, used_event; with any queue size (1 to 32768), any ring placement (in RAM,
 * straddling its end, outside it) and either of EVENT_IDX and INDIRECT_DESC. The device side
 * runs the drain loop of BlkQueue's kick handler and completes chains in any order.
 *
 * <p>Checked on every input: nothing is thrown; every popped chain lies in guest RAM, has a
 * head below the size, at most size segments and under 4 GiB; a kick pops at most size chains;
 * the device writes nothing but the used ring; a BROKEN queue stays quiet until reset; and a
 * second queue in the same RAM still serves a well-formed chain.
 */
class VirtqueueFuzzTest {

    static final long RAM_BASE = 0x10000;
    /** Queue 0's part of RAM: its rings wherever the guest puts them, tables and buffers. */
    static final int AREA = 0x2000;
    /** Queue 1's part of RAM, which the guest leaves alone. */
    static final long OTHER = RAM_BASE + AREA;
    static final int OTHER_SIZE = 0x200;
    static final long RAM_END = OTHER + OTHER_SIZE;
    static final int OTHER_QUEUE_SIZE = 8;

    @FuzzTest
    void popAndPushKeepTheRingRules(FuzzedDataProvider data) {
        new Run(data).run();
    }

    /** One input: a guest, a queue under test, and a well-formed neighbour. */
    private static final class Run {
        private final FuzzedDataProvider data;
        private final GuestMemory memory = GuestMemory.allocate(RAM_BASE, (int) (RAM_END - RAM_BASE));
        private final GuestRamWatch watch;
        private final int size;
        private final RingLayout layout;
        private final SplitVirtqueue queue;
        private final RingLayout otherLayout = RingLayout.contiguous(OTHER, OTHER_QUEUE_SIZE);
        private final DriverRing otherDriver;
        private final SplitVirtqueue other;
        /** Heads popped and not yet pushed, oldest first. */
        private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
        /** Complete each chain as soon as it is popped, as the RAM backend does. */
        private final boolean synchronous;

        Run(FuzzedDataProvider data) {
            this.data = data;
            this.size = 1 << data.consumeInt(0, 15);
            long features = (data.consumeBoolean() ? 1L << VirtioRing.F_EVENT_IDX : 0)
                    | (data.consumeBoolean() ? 1L << VirtioRing.F_INDIRECT_DESC : 0);
            this.synchronous = data.consumeBoolean();
            this.layout = placement();
            this.otherDriver = new DriverRing(memory, otherLayout, 0);
            this.other = new SplitVirtqueue(memory, otherLayout, 0);
            this.queue = new SplitVirtqueue(memory, layout, features);
            this.watch = new GuestRamWatch(memory);
            watch.allow(layout.usedRing(), 6L + 8L * size);
        }

        private RingLayout placement() {
            switch (data.consumeInt(0, 3)) {
                case 0:
                    return RingLayout.contiguous(RAM_BASE, size);
                case 1:
                    return RingLayout.contiguous(RAM_BASE + data.consumeInt(-64, AREA), size);
                case 2:
                    return new RingLayout(size, near(), near(), near());
                default:
                    return new RingLayout(size, data.consumeLong(), data.consumeLong(), data.consumeLong());
            }
        }

        /** A guest address around queue 0's part of RAM, a little outside it at both ends. */
        private long near() {
            return RAM_BASE + data.consumeInt(-64, (int) (RAM_END - RAM_BASE) + 64);
        }

        void run() {
            assertThat(queue.isBroken()).as("broken at start iff the rings do not fit RAM or the used ring overlaps")
                    .isEqualTo(!layout.fitsIn(memory) || layout.usedRingOverlaps());
            for (int op = 0; op < 64 && data.remainingBytes() > 0; op++) {
                switch (data.consumeInt(0, 7)) {
                    case 0 -> descriptor(layout.descTable() + 16L * data.consumeInt(0, size - 1));
                    case 1 -> descriptor(near());
                    case 2 -> guestShort(layout.availSlot(data.consumeInt(0, size - 1)),
                            data.consumeBoolean() ? data.consumeInt(0, size - 1) : data.consumeShort());
                    case 3 -> guestShort(layout.availIdx(), data.consumeBoolean()
                            ? queue.lastAvailIdx() + data.consumeInt(0, size + 1) : data.consumeShort());
                    case 4 -> guestBytes(near(), data.consumeBytes(data.consumeInt(1, 32)));
                    case 5 -> kick();
                    case 6 -> complete(data.consumeInt(0, inFlight.size()));
                    default -> reset();
                }
            }
            kick();
            complete(inFlight.size());
            otherQueueServes();
        }

        /** The guest writes one descriptor (direct table or anywhere, e.g. an indirect table). */
        private void descriptor(long at) {
            long addr = data.consumeBoolean() ? near() : data.consumeLong();
            int len = data.consumeBoolean() ? data.consumeInt(0, 4096) : data.consumeInt();
            int flags = data.consumeBoolean() ? data.consumeInt(0, 7) : data.consumeShort();
            int next = data.consumeBoolean() ? data.consumeInt(0, size) : data.consumeShort();
            byte[] d = new byte[16];
            java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(addr).putInt(len).putShort((short) flags).putShort((short) next);
            guestBytes(at, d);
        }

        private void guestShort(long at, int value) {
            guestBytes(at, new byte[] {(byte) value, (byte) (value >> 8)});
        }

        /** A guest write, clipped to queue 0's part of RAM so queue 1 stays well-formed. */
        private void guestBytes(long at, byte[] bytes) {
            long from = Math.max(at, RAM_BASE);
            long to = Math.min(at + bytes.length, OTHER);
            if (at < RAM_BASE - bytes.length || from >= to) {
                return;
            }
            memory.write(from, bytes, (int) (from - at), (int) (to - from));
            watch.sync();
        }

        /** The drain loop of BlkQueue's kick handler. */
        private void kick() {
            boolean broken = queue.isBroken();
            int usedIdx = queue.usedIdx();
            int pops = 0;
            boolean again;
            do {
                queue.enableGuestNotifications(false);
                for (VirtqueueElement e; (e = queue.pop()) != null; ) {
                    pops++;
                    assertThat(pops).as("chains popped by one kick").isLessThanOrEqualTo(size);
                    checkElement(e);
                    inFlight.add(e.head());
                    assertThat(inFlight.size()).as("chains in flight").isLessThanOrEqualTo(size);
                    if (synchronous) {
                        complete(1);
                    }
                }
                again = queue.enableGuestNotifications(true);
            } while (again && !queue.isBroken());
            deviceWroteOnlyTheUsedRing();
            if (broken) {
                assertThat(pops).as("pops from a BROKEN queue").isZero();
                assertThat(queue.usedIdx()).as("used idx of a BROKEN queue").isEqualTo(usedIdx);
            }
        }

        private void checkElement(VirtqueueElement e) {
            assertThat(e.head()).as("head").isBetween(0, size - 1);
            assertThat(e.readableCount() + e.writableCount()).as("segments").isBetween(1, size);
            long total = 0;
            for (int i = 0; i < e.readableCount(); i++) {
                assertThat(memory.contains(e.readableAddress(i), e.readableLength(i))).as("readable segment in RAM")
                        .isTrue();
                assertThat(e.readableLength(i)).as("readable length").isPositive();
                total += e.readableLength(i);
            }
            for (int i = 0; i < e.writableCount(); i++) {
                assertThat(memory.contains(e.writableAddress(i), e.writableLength(i))).as("writable segment in RAM")
                        .isTrue();
                assertThat(e.writableLength(i)).as("writable length").isPositive();
                total += e.writableLength(i);
            }
            assertThat(total).as("chain bytes").isLessThanOrEqualTo(0xffff_ffffL);
        }

        /** Pushes {@code n} chains in flight, oldest first or newest first, then publishes and decides. */
        private void complete(int n) {
            boolean newestFirst = data.consumeBoolean();
            for (int i = 0; i < n && !inFlight.isEmpty(); i++) {
                int head = newestFirst ? inFlight.removeLast() : inFlight.removeFirst();
                queue.push(head, data.consumeInt());
            }
            queue.publish();
            queue.needsNotification();
            deviceWroteOnlyTheUsedRing();
        }

        /** The device reset: the driver rewrites the rings from scratch afterwards, or not. */
        private void reset() {
            queue.reset();
            inFlight.clear();
            deviceWroteOnlyTheUsedRing();
        }

        private void deviceWroteOnlyTheUsedRing() {
            assertThat(watch.foreignWrite()).as("first device write outside the used ring").isEqualTo(-1L);
            watch.sync();
        }

        /** Queue 1, in the same RAM, still takes and returns a well-formed chain. */
        private void otherQueueServes() {
            long usedFrom = layout.usedRing();
            long usedTo = usedFrom + 6L + 8L * size;
            if (usedFrom < RAM_END && usedTo > OTHER) {
                return; // the guest put queue 0's used ring over queue 1: its own doing
            }
            int head = otherDriver.addChain(new long[] {OTHER + 0x100, OTHER + 0x180}, new int[] {16, 1}, 1);
            otherDriver.publish();
            VirtqueueElement e = other.pop();
            assertThat(e).as("queue 1's chain").isNotNull();
            assertThat(e.head()).isEqualTo(head);
            assertThat(e.readableCount()).isEqualTo(1);
            assertThat(e.writableCount()).isEqualTo(1);
            other.push(e.head(), 1);
            other.publish();
            assertThat(otherDriver.pollUsed()).as("queue 1's used head").isEqualTo(head);
            assertThat(other.isBroken()).isFalse();
        }
    }
}
