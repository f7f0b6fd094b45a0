package org.hvkit.block.virtio.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkFeatures;
import org.hvkit.block.virtio.blk.VirtioBlkProtocol;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.queue.RingLayout;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target: virtio-blk request parsing (VirtioBlkRequestHandler) on a 2-queue device on 2
 * contexts. Queue 0 gets up to three chains built from the input: any header (type, reserved,
 * sector), any number, order, direction, address and length of segments, direct or through an
 * indirect table, any discard/write-zeroes payload; on a disk with 512- or 4096-byte blocks,
 * writable or read-only. Queue 1 gets a well-formed read in the same round.
 *
 * <p>Checked on every input: nothing is thrown; the device writes only the used rings and the
 * writable buffers of the chains; queue 0 handles at most the chains offered; either the device
 * is in NEEDS_RESET with only queue 0 failed and one configChanged, or every chain was returned
 * with a status byte of OK, IOERR or UNSUPP and a used length within its writable buffers, and
 * an OK is right (a range inside the disk, the disk's data, the serial); queue 1's read returns
 * the disk's data; after NEEDS_RESET a reset makes queue 0 serve again.
 */
class BlkRequestFuzzTest {

    private static final int QUEUE_SIZE = 16;
    private static final long CAPACITY_SECTORS = 64;
    private static final int SEG_MAX = 6;
    private static final int[] TYPES = {VirtioBlkProtocol.T_IN, VirtioBlkProtocol.T_OUT, VirtioBlkProtocol.T_FLUSH,
        VirtioBlkProtocol.T_GET_ID, VirtioBlkProtocol.T_DISCARD, VirtioBlkProtocol.T_WRITE_ZEROES};
    private static final long REQ = FuzzDevice.free(2);
    private static final int RAM_SIZE = 0x10000;
    private static final int REQ_SIZE = (int) (FuzzDevice.RAM_BASE + RAM_SIZE - REQ);
    private static final long STATUS_AREA = REQ + 0x800;
    private static final long TABLES = REQ + 0xa00;
    private static final long CHUNKS = REQ + 0x1000;
    private static final int CHUNK = 0x1000;

    /** One device per (block size, read-only), made by the thread that fuzzes. */
    private static final FuzzDevice[] DEVICES = new FuzzDevice[4];

    @AfterAll
    static void closeDevices() {
        for (int i = 0; i < DEVICES.length; i++) {
            if (DEVICES[i] != null && DEVICES[i].ownedByThisThread()) {
                DEVICES[i].close();
            }
            DEVICES[i] = null;
        }
    }

    private static FuzzDevice device(int blkSize, boolean readOnly) {
        int i = (blkSize == 512 ? 0 : 2) + (readOnly ? 1 : 0);
        if (DEVICES[i] == null || !DEVICES[i].ownedByThisThread()) {
            DEVICES[i] = new FuzzDevice(2, 2, QUEUE_SIZE, new VirtioBlkConfig(CAPACITY_SECTORS, 0, SEG_MAX, blkSize,
                    2, 16, 2, 1, 16, 2, true), readOnly, RAM_SIZE);
        }
        return DEVICES[i];
    }

    @FuzzTest
    void requestsEndInAStatusOrNeedsReset(FuzzedDataProvider data) {
        new Run(data).run();
    }

    /** A segment as the driver offered it. */
    private record Segment(long address, long length, boolean writable) {
        boolean overlaps(Segment o) {
            return Long.compareUnsigned(address, o.address + o.length) < 0
                    && Long.compareUnsigned(o.address, address + length) < 0;
        }
    }

    /** A chain as the driver offered it. */
    private record Chain(int head, int type, long sector, List<Segment> segments) {
        long writableBytes() {
            return segments.stream().filter(Segment::writable).mapToLong(Segment::length).sum();
        }

        Segment lastWritable() {
            Segment last = null;
            for (Segment s : segments) {
                if (s.writable()) {
                    last = s;
                }
            }
            return last;
        }
    }

    private static final class Run {
        private final FuzzedDataProvider data;
        private final FuzzDevice f;
        private final int blkSize;
        private final boolean readOnly;
        private final GuestRamWatch watch;
        private final List<Chain> chains = new ArrayList<>();

        Run(FuzzedDataProvider data) {
            this.data = data;
            this.blkSize = data.consumeBoolean() ? 4096 : 512;
            this.readOnly = data.consumeBoolean();
            this.f = device(blkSize, readOnly);
            f.resetForInput();
            long features = FuzzDevice.VERSION_1
                    | (data.consumeBoolean() ? VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_INDIRECT_DESC) : 0)
                    | (data.consumeBoolean() ? VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_EVENT_IDX) : 0);
            f.initialise(features);
            this.watch = f.watch;
        }

        void run() {
            int count = data.consumeInt(1, 3);
            for (int k = 0; k < count && offer(k); k++) {
                // offered
            }
            long otherSector = data.consumeInt(0, (int) CAPACITY_SECTORS - 1) & ~(blkSize / 512 - 1);
            int otherHead = f.offerRead(1, 0, otherSector);
            watch.sync();
            chains.replaceAll(this::asTheDeviceReadsIt);
            allowDeviceWrites();
            long requestsBefore = f.device.queue(0).stats().requests();

            f.device.notifyQueue(0);
            f.device.notifyQueue(1);
            f.pollAll();

            assertThat(watch.foreignWrite()).as("first device write outside used rings and writable buffers")
                    .isEqualTo(-1L);
            assertThat(f.device.queue(0).stats().requests() - requestsBefore).as("requests handled on queue 0")
                    .isLessThanOrEqualTo(chains.size());
            boolean needsReset = (f.device.status() & DeviceStatus.NEEDS_RESET) != 0;
            if (writesIntoTheQueues()) {
                return; // the guest aimed queue 0's buffers at the rings: what follows is its own doing
            }
            assertThat(f.device.queue(0).isFailed()).as("queue 0 failed").isEqualTo(needsReset);
            assertThat(f.configChanges[0]).as("configChanged calls").isEqualTo(needsReset ? 1 : 0);
            assertThat(f.device.queue(1).isFailed()).as("queue 1 failed").isFalse();
            checkCompletions(needsReset);
            assertThat(f.drivers[1].pollUsed()).as("queue 1's used head").isEqualTo(otherHead);
            if (onlyReads()) {
                assertThat(f.readCompleted(1, 0, otherSector)).as("queue 1's read").isTrue();
            } else {
                // Queue 0 may have written that sector first: only the status is certain.
                assertThat(f.memory.readByte(FuzzDevice.status(1, 0))).as("queue 1's status")
                        .isEqualTo((byte) VirtioBlkProtocol.S_OK);
            }
            if (needsReset) {
                recovers();
            }
        }

        /** True if a writable buffer of queue 0 overlaps the rings or request buffers of either queue. */
        private boolean writesIntoTheQueues() {
            Segment queues = new Segment(FuzzDevice.RAM_BASE, REQ - FuzzDevice.RAM_BASE, true);
            return chains.stream().flatMap(c -> c.segments().stream())
                    .anyMatch(s -> s.writable() && s.overlaps(queues));
        }

        /** Offers chain {@code k} on queue 0; false if the ring has too few free descriptors. */
        private boolean offer(int k) {
            long header = REQ + 0x40L * k;
            int type = data.consumeBoolean() ? TYPES[data.consumeInt(0, TYPES.length - 1)] : data.consumeInt();
            long sector = data.consumeBoolean() ? data.consumeLong(0, CAPACITY_SECTORS + 8) : data.consumeLong();
            f.memory.writeInt(header, type);
            f.memory.writeInt(header + 4, data.consumeBoolean() ? 0 : data.consumeInt());
            f.memory.writeLong(header + 8, sector);
            byte[] payload = data.consumeBytes(data.consumeInt(0, 64));
            f.memory.write(CHUNKS + (long) CHUNK * k, payload, 0, payload.length);
            int n = data.consumeInt(1, 8);
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                segments.add(segment(k, i));
            }
            long[] addresses = segments.stream().mapToLong(Segment::address).toArray();
            int[] lengths = segments.stream().mapToInt(s -> (int) s.length()).toArray();
            int readable = 0;
            while (readable < n && !segments.get(readable).writable()) {
                readable++;
            }
            // A writable segment before a readable one: the direction bits as the input says.
            boolean ordered = segments.stream().skip(readable).allMatch(Segment::writable);
            DriverRing ring = f.drivers[0];
            int head;
            if (data.consumeBoolean()) {
                head = ring.addIndirectChain(TABLES + 0x100L * k, addresses, lengths, readable);
            } else {
                head = ring.addChain(addresses, lengths, readable);
            }
            if (head < 0) {
                return false;
            }
            if (!ordered) {
                // The driver model writes "readable first": rewrite the direction bits as offered.
                rewriteDirections(head, segments);
            }
            ring.publish();
            chains.add(new Chain(head, type, sector, segments));
            return true;
        }

        /**
         * The chain with the type and sector the device will read: the first 16 readable bytes,
         * wherever the guest pointed its first segments, after every chain was written.
         */
        private Chain asTheDeviceReadsIt(Chain c) {
            byte[] header = new byte[16];
            int at = 0;
            for (Segment s : c.segments()) {
                if (s.writable() || at == header.length) {
                    continue;
                }
                int n = (int) Math.min(s.length(), header.length - at);
                if (!f.memory.contains(s.address(), n)) {
                    return c; // the device refuses the chain before it reads a header
                }
                f.memory.read(s.address(), header, at, n);
                at += n;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            return new Chain(c.head(), b.getInt(0), b.getLong(8), c.segments());
        }

        private void rewriteDirections(int head, List<Segment> segments) {
            RingLayout layout = f.drivers[0].layout();
            long at = layout.descriptor(head);
            int flags = f.memory.readShort(at + 12) & 0xffff;
            long table = -1;
            int index = head;
            if ((flags & 4) != 0) {
                table = f.memory.readLong(at);
            }
            for (int i = 0; i < segments.size(); i++) {
                long desc = table >= 0 ? table + 16L * i : layout.descriptor(index);
                int fl = f.memory.readShort(desc + 12) & 0xffff;
                fl = segments.get(i).writable() ? fl | 2 : fl & ~2;
                f.memory.writeShort(desc + 12, (short) fl);
                index = f.memory.readShort(desc + 14) & 0xffff;
            }
        }

        private Segment segment(int k, int i) {
            boolean writable = data.consumeBoolean();
            return switch (data.consumeInt(0, 4)) {
                case 0 -> new Segment(REQ + 0x40L * k, data.consumeBoolean() ? 16 : data.consumeInt(1, 64), writable);
                case 1 -> new Segment(CHUNKS + (long) CHUNK * data.consumeInt(0, 7) + data.consumeInt(0, 3) * 512L,
                        512L * data.consumeInt(1, 8) - (data.consumeBoolean() ? 0 : data.consumeInt(0, 511)), writable);
                case 2 -> new Segment(STATUS_AREA + 16L * k + i, data.consumeInt(1, 2), writable);
                case 3 -> new Segment(REQ + data.consumeInt(-64, REQ_SIZE + 64), data.consumeInt(0, 8192), writable);
                default -> new Segment(data.consumeLong(), Integer.toUnsignedLong(data.consumeInt()), writable);
            };
        }

        private void allowDeviceWrites() {
            for (DriverRing d : f.drivers) {
                d.layout();
                watch.allow(d.layout().usedRing(), 6L + 8L * QUEUE_SIZE);
            }
            for (Chain c : chains) {
                for (Segment s : c.segments()) {
                    if (s.writable()) {
                        watch.allow(s.address(), s.length());
                    }
                }
            }
            watch.allow(f.data(1, 0), f.blockBytes());
            watch.allow(FuzzDevice.status(1, 0), 1);
        }

        private void checkCompletions(boolean needsReset) {
            int returned = 0;
            for (int head; (head = f.drivers[0].pollUsed()) >= 0; returned++) {
                Chain c = chain(head);
                assertThat(c).as("used head %d is an offered chain", head).isNotNull();
                long used = f.drivers[0].lastUsedLength();
                assertThat(used).as("used length").isBetween(1L, c.writableBytes());
                Segment last = c.lastWritable();
                int status = f.memory.readByte(last.address() + last.length() - 1) & 0xff;
                if (clean()) {
                    assertThat(status).as("status byte").isIn(VirtioBlkProtocol.S_OK, VirtioBlkProtocol.S_IOERR,
                            VirtioBlkProtocol.S_UNSUPP);
                    if (status == VirtioBlkProtocol.S_OK) {
                        checkOk(c, used);
                    } else {
                        assertThat(used).as("used length of a failed request").isEqualTo(1);
                    }
                }
            }
            if (!needsReset) {
                assertThat(returned).as("chains returned").isEqualTo(chains.size());
            }
        }

        private Chain chain(int head) {
            for (Chain c : chains) {
                if (c.head() == head) {
                    return c;
                }
            }
            return null;
        }

        /** No two offered segments overlap: each status byte and data byte is one chain's alone. */
        private boolean clean() {
            List<Segment> all = new ArrayList<>();
            chains.forEach(c -> all.addAll(c.segments()));
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    if (all.get(i).overlaps(all.get(j))) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean onlyReads() {
            return chains.stream().allMatch(c -> c.type() != VirtioBlkProtocol.T_OUT
                    && c.type() != VirtioBlkProtocol.T_DISCARD && c.type() != VirtioBlkProtocol.T_WRITE_ZEROES);
        }

        /** What an OK must mean for each type. */
        private void checkOk(Chain c, long used) {
            long data = c.writableBytes() - 1;
            switch (c.type()) {
                case VirtioBlkProtocol.T_IN -> {
                    assertThat(rangeOk(c.sector(), data)).as("read range").isTrue();
                    assertThat(used).as("used length of a read").isEqualTo(data + 1);
                    if (onlyReads()) {
                        assertThat(readBack(c, data)).as("read data is the disk's").isTrue();
                    }
                }
                case VirtioBlkProtocol.T_OUT -> {
                    assertThat(readOnly).as("write to a read-only disk").isFalse();
                    long header = 16;
                    long payload = c.segments().stream().filter(s -> !s.writable()).mapToLong(Segment::length).sum()
                            - header;
                    assertThat(rangeOk(c.sector(), payload)).as("write range").isTrue();
                    assertThat(used).as("used length of a write").isEqualTo(1);
                }
                case VirtioBlkProtocol.T_GET_ID -> {
                    byte[] serial = FuzzDevice.SERIAL.getBytes(StandardCharsets.UTF_8);
                    byte[] got = writableStream(c, (int) Math.min(20, data));
                    for (int i = 0; i < got.length; i++) {
                        assertThat(got[i]).as("serial byte %d", i).isEqualTo(i < serial.length ? serial[i] : 0);
                    }
                    assertThat(used).as("used length of GET_ID").isEqualTo(Math.min(20, data) + 1);
                }
                case VirtioBlkProtocol.T_FLUSH -> assertThat(used).isEqualTo(1);
                case VirtioBlkProtocol.T_DISCARD, VirtioBlkProtocol.T_WRITE_ZEROES -> {
                    assertThat(readOnly).as("discard or write-zeroes on a read-only disk").isFalse();
                    assertThat(used).isEqualTo(1);
                }
                default -> throw new AssertionError("OK for unknown request type " + c.type());
            }
        }

        private boolean rangeOk(long sector, long bytes) {
            return bytes % blkSize == 0 && (sector & (blkSize / 512 - 1)) == 0
                    && Long.compareUnsigned(sector, CAPACITY_SECTORS) <= 0
                    && bytes / 512 <= CAPACITY_SECTORS - sector;
        }

        private boolean readBack(Chain c, long length) {
            byte[] got = writableStream(c, (int) length);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != f.pattern(c.sector() * 512 + i)) {
                    return false;
                }
            }
            return true;
        }

        /** The first {@code length} bytes of the chain's writable buffers, in order. */
        private byte[] writableStream(Chain c, int length) {
            byte[] out = new byte[length];
            int at = 0;
            for (Segment s : c.segments()) {
                if (!s.writable() || at == length) {
                    continue;
                }
                int n = (int) Math.min(s.length(), length - at);
                f.memory.read(s.address(), out, at, n);
                at += n;
            }
            return out;
        }

        /** After NEEDS_RESET: a reset and a fresh initialisation make queue 0 serve again. */
        private void recovers() {
            f.device.status(0);
            assertThat(f.device.status()).as("status after reset").isZero();
            f.initialise(FuzzDevice.VERSION_1);
            int head = f.offerRead(0, 0, 0);
            f.device.notifyQueue(0);
            f.pollAll();
            assertThat(f.drivers[0].pollUsed()).as("queue 0 after reset").isEqualTo(head);
            if (onlyReads()) {
                assertThat(f.readCompleted(0, 0, 0)).as("queue 0's read after reset").isTrue();
            } else {
                // The disk keeps what the chains before the reset wrote: only the status is certain.
                assertThat(f.memory.readByte(FuzzDevice.status(0, 0))).as("queue 0's status after reset")
                        .isEqualTo((byte) VirtioBlkProtocol.S_OK);
            }
            assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).isZero();
        }
    }
}
