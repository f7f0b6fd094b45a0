package org.hvkit.block.virtio.blk;

import java.util.Arrays;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.driver.DriverRing;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.queue.VirtqueueElement;

/** Guest RAM, one ring with a driver and the device queue, a backend and the handler. */
final class BlkFixture {

    static final long RAM_BASE = 0x10000;
    static final int RAM_SIZE = 0x100000;
    static final long HEADER = 0x40000;
    static final long STATUS = 0x41000;
    /** Data the driver writes (OUT) or discard segments; chunks 0x4000 apart. */
    static final long DATA = 0x50000;
    /** Buffers the device fills (IN, GET_ID); chunks 0x4000 apart. */
    static final long READ_BACK = 0x90000;
    static final int CHUNK = 0x4000;
    static final int QUEUE_SIZE = 16;
    static final long FEATURES = VirtioBlkFeatures.bit(VirtioBlkFeatures.VERSION_1);

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final DriverRing driver;
    final SplitVirtqueue queue;
    final BlockBackend backend;
    final VirtioBlkRequestHandler handler;
    /** The used length of the last run, or -1 if the device pushed nothing. */
    long usedLength;

    BlkFixture(VirtioBlkConfig config, BlockBackend backend, String serial) {
        RingLayout layout = RingLayout.contiguous(RAM_BASE, QUEUE_SIZE);
        this.driver = new DriverRing(memory, layout, FEATURES);
        this.queue = new SplitVirtqueue(memory, layout, FEATURES);
        this.backend = backend;
        this.handler = new VirtioBlkRequestHandler(memory, queue, backend, config, serial);
    }

    /** A RAM disk of {@code sectors} sectors with QEMU's default limits. */
    static BlkFixture ram(long sectors, boolean readOnly) {
        return new BlkFixture(VirtioBlkConfig.defaults(sectors * 512, 1, QUEUE_SIZE),
                new RamBackend(sectors * 512, readOnly), "hvkit-serial");
    }

    /** A RAM disk with a given configuration. */
    static BlkFixture ram(VirtioBlkConfig config) {
        return new BlkFixture(config, new RamBackend(config.capacitySectors() * 512, false), "hvkit-serial");
    }

    void header(int type, long sector) {
        memory.writeInt(HEADER, type);
        memory.writeInt(HEADER + 4, 0);
        memory.writeLong(HEADER + 8, sector);
        memory.writeByte(STATUS, (byte) 0xff);
    }

    /** Submits one chain, lets the handler run it, publishes and reaps what was pushed. */
    int run(long[] addresses, int[] lengths, int readable) {
        driver.addChain(addresses, lengths, readable);
        driver.publish();
        VirtqueueElement e = queue.pop();
        int result = handler.handle(e);
        reap();
        return result;
    }

    void reap() {
        queue.publish();
        usedLength = driver.pollUsed() == -1 ? -1 : driver.lastUsedLength();
    }

    /** OUT: header, data chunks from {@link #DATA}, status. */
    int write(long sector, int... lengths) {
        header(VirtioBlkProtocol.T_OUT, sector);
        return runData(DATA, true, lengths);
    }

    /** IN: header, data chunks at {@link #READ_BACK}, status. */
    int read(long sector, int... lengths) {
        header(VirtioBlkProtocol.T_IN, sector);
        return runData(READ_BACK, false, lengths);
    }

    private int runData(long base, boolean readable, int... lengths) {
        int n = lengths.length;
        long[] a = new long[n + 2];
        int[] l = new int[n + 2];
        a[0] = HEADER;
        l[0] = 16;
        for (int i = 0; i < n; i++) {
            a[i + 1] = base + (long) i * CHUNK;
            l[i + 1] = lengths[i];
        }
        a[n + 1] = STATUS;
        l[n + 1] = 1;
        return run(a, l, readable ? n + 1 : 1);
    }

    /** A request with a header and a status byte only. */
    int request(int type, long sector) {
        header(type, sector);
        return run(new long[] {HEADER, STATUS}, new int[] {16, 1}, 1);
    }

    /** DISCARD or WRITE_ZEROES with segments of (sector, num_sectors, flags) at {@link #DATA}. */
    int ranges(int type, long[]... segments) {
        header(type, 0);
        for (int i = 0; i < segments.length; i++) {
            long at = DATA + 16L * i;
            memory.writeLong(at, segments[i][0]);
            memory.writeInt(at + 8, (int) segments[i][1]);
            memory.writeInt(at + 12, (int) segments[i][2]);
        }
        return run(new long[] {HEADER, DATA, STATUS}, new int[] {16, 16 * segments.length, 1}, 2);
    }

    int status() {
        return memory.readByte(STATUS) & 0xff;
    }

    void fill(long address, int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        memory.write(address, b, 0, length);
    }

    byte[] bytes(long address, int length) {
        byte[] b = new byte[length];
        memory.read(address, b, 0, length);
        return b;
    }
}
