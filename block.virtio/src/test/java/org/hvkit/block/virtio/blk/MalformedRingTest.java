package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.hvkit.block.virtio.blk.DeviceFixture.BLOCK;
import static org.hvkit.block.virtio.blk.DeviceFixture.RAM_BASE;
import static org.hvkit.block.virtio.blk.DeviceFixture.RAM_SIZE;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_INDIRECT;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_NEXT;
import static org.hvkit.block.virtio.queue.VirtioRing.DESC_F_WRITE;

import java.util.Arrays;
import java.util.stream.Stream;
import org.hvkit.block.virtio.driver.DriverRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed-chain rule at device level, on a 2-queue device on 2 contexts, the bad chain
 * on queue 0. The outcome of each case follows QEMU: what {@code virtqueue_split_pop},
 * {@code virtqueue_map_desc} and the header checks of {@code virtio_blk_handle_request} refuse
 * with {@code virtio_error} is NEEDS_RESET (queue 0 stops, one configChanged); what QEMU
 * accepts as a chain and fails in the block layer gets an error status.
 */
class MalformedRingTest {

    private static final long FEATURES = DeviceFixture.FEATURES
            | VirtioBlkFeatures.bit(VirtioBlkFeatures.RING_INDIRECT_DESC);
    private static final int SIZE = DeviceFixture.QUEUE_SIZE;
    private static final long RAM_END = RAM_BASE + RAM_SIZE;

    /** Queue 0's request buffers, as {@link DeviceFixture#offer} lays them out for slot 0. */
    private static final long HDR = DeviceFixture.header(0, 0);
    private static final long DATA = DeviceFixture.data(0, 0);
    private static final long STATUS = DeviceFixture.status(0, 0);
    /** A 2-byte status buffer: a canary byte, then the byte the device writes. */
    private static final long STATUS2 = DeviceFixture.status(0, 8);
    /** Indirect tables, between queue 0's status bytes and its data buffers. */
    private static final long TABLE = DeviceFixture.header(0, 0) + 0x2000;
    private static final long TABLE2 = TABLE + 0x1000;
    /** Everything above the rings: guest RAM the device may write only through a valid chain. */
    private static final long WATCHED = DeviceFixture.header(0, 0);
    private static final int WATCHED_SIZE = (int) (RAM_END - WATCHED);
    private static final byte CANARY = 0x5a;
    private static final int MARKER = 0xff;

    private final ParkingBackend backend = new ParkingBackend(1 << 20);
    private final DeviceFixture f = new DeviceFixture(2, 2, backend, FEATURES);

    enum Outcome {
        /** The chain or header is refused: queue 0 stops, the device needs a reset. */
        NEEDS_RESET,
        /** The request is completed with VIRTIO_BLK_S_IOERR. */
        IOERR,
        /** The request is accepted and completed with VIRTIO_BLK_S_OK. */
        OK
    }

    /** Writes a malformed chain (or ring) on queue 0 and publishes it, without kicking. */
    @FunctionalInterface
    interface Forge {
        void on(MalformedRingTest t);
    }

    /**
     * One case of the table.
     *
     * @param outcome what the device must do
     * @param statusAt where the status byte goes, for IOERR and OK; unused for NEEDS_RESET
     * @param forge writes the chain
     */
    record Malformed(Outcome outcome, long statusAt, Forge forge) {
    }

    private static Named<Malformed> needsReset(String rule, Forge forge) {
        return Named.of("NEEDS_RESET: " + rule, new Malformed(Outcome.NEEDS_RESET, -1, forge));
    }

    private static Named<Malformed> status(Outcome outcome, String rule, long statusAt, Forge forge) {
        return Named.of(outcome + ": " + rule, new Malformed(outcome, statusAt, forge));
    }

    static Stream<Named<Malformed>> cases() {
        return Stream.of(
                needsReset("head index >= queue size", t -> {
                    t.directRead();
                    t.publishHead(SIZE);
                }),
                needsReset("avail idx more than the queue size past last_avail_idx", t ->
                        t.ring().setAvailIdx(SIZE + 1)),
                needsReset("more heads in use than the queue size (CVE-2016-5403)", MalformedRingTest::fillThenOneMore),
                needsReset("chain longer than the queue size (indirect table of size + 1 entries)", t -> {
                    t.entry(0, HDR, 16, DESC_F_NEXT, 1);
                    for (int i = 1; i < SIZE; i++) {
                        t.entry(i, DATA + 8L * i, 8, DESC_F_WRITE | DESC_F_NEXT, i + 1);
                    }
                    t.entry(SIZE, STATUS, 1, DESC_F_WRITE, 0);
                    t.indirectHead(16 * (SIZE + 1));
                }),
                needsReset("looping chain", t -> {
                    t.desc(0, HDR, 16, DESC_F_NEXT, 1);
                    t.desc(1, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, 2);
                    t.desc(2, STATUS, 1, DESC_F_WRITE | DESC_F_NEXT, 1);
                    t.publishHead(0);
                }),
                needsReset("next >= queue size", t -> {
                    t.directRead();
                    t.desc(1, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, SIZE);
                    t.publishHead(0);
                }),
                needsReset("indirect table of length 0", t -> {
                    t.indirectRead();
                    t.indirectHead(0);
                }),
                needsReset("indirect table length not a multiple of 16", t -> {
                    t.indirectRead();
                    t.indirectHead(40);
                }),
                needsReset("nested indirect descriptor", t -> {
                    t.entryAt(TABLE2, 0, HDR, 16, DESC_F_NEXT, 1);
                    t.entryAt(TABLE2, 1, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, 2);
                    t.entryAt(TABLE2, 2, STATUS, 1, DESC_F_WRITE, 0);
                    t.entry(0, TABLE2, 48, DESC_F_INDIRECT, 0);
                    t.indirectHead(16);
                }),
                needsReset("indirect table out of guest RAM", t -> {
                    t.desc(0, RAM_END - 16, 48, DESC_F_INDIRECT, 0);
                    t.publishHead(0);
                }),
                needsReset("readable descriptor after a writable one", t -> {
                    t.directRead();
                    t.desc(2, STATUS, 1, DESC_F_NEXT, 3);
                    t.desc(3, STATUS + 1, 1, DESC_F_WRITE, 0);
                    t.publishHead(0);
                }),
                needsReset("readable descriptor after a writable one in an indirect table", t -> {
                    t.indirectRead();
                    t.entry(2, STATUS, 1, DESC_F_NEXT, 3);
                    t.entry(3, STATUS + 1, 1, DESC_F_WRITE, 0);
                    t.indirectHead(64);
                }),
                needsReset("zero-length buffer (CVE-2016-6490)", t -> t.directReadWithData(DATA, 0)),
                needsReset("length 0xFFFFFFFF (CVE-2016-7422)", t -> t.directReadWithData(DATA, -1)),
                needsReset("buffer address outside guest RAM", t -> t.directReadWithData(RAM_END + 0x1000, BLOCK)),
                needsReset("buffer crossing the end of guest RAM", t -> t.directReadWithData(RAM_END - 256, BLOCK)),
                needsReset("address + length overflowing 64 bits", t -> t.directReadWithData(-256L, BLOCK)),
                needsReset("virtio-blk header shorter than 16 bytes", t -> {
                    t.directRead();
                    t.desc(0, HDR, 15, DESC_F_NEXT, 1);
                    t.publishHead(0);
                }),
                needsReset("no header (no readable buffer)", t -> {
                    t.desc(0, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, 1);
                    t.desc(1, STATUS, 1, DESC_F_WRITE, 0);
                    t.publishHead(0);
                }),
                needsReset("status buffer of 0 bytes", t -> {
                    t.directRead();
                    t.desc(2, STATUS, 0, DESC_F_WRITE, 0);
                    t.publishHead(0);
                }),
                needsReset("missing status buffer (no writable buffer)", t -> {
                    t.header(VirtioBlkProtocol.T_OUT);
                    t.desc(0, HDR, 16, DESC_F_NEXT, 1);
                    t.desc(1, DATA, BLOCK, 0, 0);
                    t.publishHead(0);
                }),
                status(Outcome.IOERR, "status buffer of 2 bytes on a read (data becomes 513 bytes)", STATUS2 + 1, t -> {
                    t.directRead();
                    t.desc(2, STATUS2, 2, DESC_F_WRITE, 0);
                    t.publishHead(0);
                }),
                status(Outcome.IOERR, "no separate status buffer on a read (its data loses the last byte)",
                        DATA + BLOCK - 1, t -> {
                            t.header(VirtioBlkProtocol.T_IN);
                            t.desc(0, HDR, 16, DESC_F_NEXT, 1);
                            t.desc(1, DATA, BLOCK, DESC_F_WRITE, 0);
                            t.publishHead(0);
                        }),
                status(Outcome.OK, "status buffer of 2 bytes on a flush (the last byte is the status)", STATUS2 + 1, t -> {
                    t.header(VirtioBlkProtocol.T_FLUSH);
                    t.desc(0, HDR, 16, DESC_F_NEXT, 1);
                    t.desc(1, STATUS2, 2, DESC_F_WRITE, 0);
                    t.publishHead(0);
                }));
    }

    @BeforeEach
    void setUp() {
        f.initialise();
        fill(DATA, 2 * BLOCK, CANARY);
        fill(RAM_END - 0x1000, 0x1000, CANARY);
        f.memory.writeByte(STATUS, (byte) MARKER);
        f.memory.writeByte(STATUS2, CANARY);
        f.memory.writeByte(STATUS2 + 1, (byte) MARKER);
    }

    @AfterEach
    void close() {
        backend.release();
        f.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldContainTheMalformedChainToQueueZero(Malformed m) {
        m.forge().on(this);
        byte[] before = watched();

        assertThatCode(() -> {
            f.device.notifyQueue(0);
            f.pollAll();
        }).doesNotThrowAnyException();

        if (m.outcome() == Outcome.NEEDS_RESET) {
            expectQueueZeroStopped(before);
        } else {
            expectCompletedWith(m, before);
        }
        expectQueueOneServes();
        expectQueueZeroServesAfterResetAndReinitialisation();
    }

    private void expectQueueZeroStopped(byte[] before) {
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).as("NEEDS_RESET").isNotZero();
        assertThat(f.sink.configChanges.get()).as("configChanged calls").isEqualTo(1);
        assertThat(f.device.queue(0).isFailed()).as("queue 0 failed").isTrue();
        assertThat(f.device.queue(1).isFailed()).as("queue 1 failed").isFalse();
        expectNoUsedEntryOnQueueZero();
        assertThat(watched()).as("guest RAM outside queue 0's rings").isEqualTo(before);

        backend.release(); // the requests a full ring left in flight complete, unpushed
        long requests = f.device.queue(0).stats().requests();
        assertThatCode(() -> {
            f.submit(0, 1, VirtioBlkProtocol.T_IN, 0);
            f.pollAll();
        }).doesNotThrowAnyException();

        assertThat(f.device.queue(0).stats().requests()).as("requests after a second kick").isEqualTo(requests);
        expectNoUsedEntryOnQueueZero();
        assertThat(f.statusByte(0, 1)).as("status of the second request").isEqualTo(MARKER);
        assertThat(f.sink.configChanges.get()).as("configChanged calls after a second kick").isEqualTo(1);
    }

    private void expectNoUsedEntryOnQueueZero() {
        assertThat(f.memory.readShort(ring().layout().usedIdx())).as("queue 0 used->idx").isZero();
        assertThat(f.memory.readLong(ring().layout().usedSlot(0))).as("queue 0 used->ring[0]").isZero();
    }

    private void expectCompletedWith(Malformed m, byte[] before) {
        int expected = m.outcome() == Outcome.OK ? VirtioBlkProtocol.S_OK : VirtioBlkProtocol.S_IOERR;
        assertThat(f.memory.readByte(m.statusAt()) & 0xff).as("status byte").isEqualTo(expected);
        assertThat(ring().pollUsed()).as("used head").isZero();
        assertThat(ring().lastUsedLength()).as("used length").isEqualTo(1);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).as("NEEDS_RESET").isZero();
        assertThat(f.sink.configChanges.get()).as("configChanged calls").isZero();
        assertThat(f.device.queue(0).isFailed()).as("queue 0 failed").isFalse();
        before[(int) (m.statusAt() - WATCHED)] = (byte) expected;
        assertThat(watched()).as("guest RAM outside queue 0's rings, but for the status byte").isEqualTo(before);
    }

    private void expectQueueOneServes() {
        f.submit(1, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(f.drivers[1].pollUsed()).as("queue 1 used head").isNotNegative();
        assertThat(f.statusByte(1, 0)).as("queue 1 status").isEqualTo(VirtioBlkProtocol.S_OK);
    }

    private void expectQueueZeroServesAfterResetAndReinitialisation() {
        f.device.status(0);
        assertThat(f.device.status()).as("status after reset").isZero();
        f.initialise();
        f.submit(0, 0, VirtioBlkProtocol.T_IN, 0);
        f.pollAll();

        assertThat(ring().pollUsed()).as("queue 0 used head after reset").isNotNegative();
        assertThat(f.statusByte(0, 0)).as("queue 0 status after reset").isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.device.status() & DeviceStatus.NEEDS_RESET).as("NEEDS_RESET after reset").isZero();
        assertThat(f.device.queue(0).isFailed()).as("queue 0 failed after reset").isFalse();
    }

    // ---- the guest's side: raw ring contents for queue 0 ----

    private DriverRing ring() {
        return f.drivers[0];
    }

    private void desc(int i, long addr, int len, int flags, int next) {
        ring().writeDescriptor(i, addr, len, flags, next);
    }

    private void entry(int i, long addr, int len, int flags, int next) {
        entryAt(TABLE, i, addr, len, flags, next);
    }

    private void entryAt(long table, int i, long addr, int len, int flags, int next) {
        long at = table + 16L * i;
        f.memory.writeLong(at, addr);
        f.memory.writeInt(at + 8, len);
        f.memory.writeShort(at + 12, (short) flags);
        f.memory.writeShort(at + 14, (short) next);
    }

    private void header(int type) {
        f.memory.writeInt(HDR, type);
        f.memory.writeInt(HDR + 4, 0);
        f.memory.writeLong(HDR + 8, 0);
    }

    /** A valid one-block read in descriptors 0 to 2; cases overwrite the descriptor they break. */
    private void directRead() {
        header(VirtioBlkProtocol.T_IN);
        desc(0, HDR, 16, DESC_F_NEXT, 1);
        desc(1, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, 2);
        desc(2, STATUS, 1, DESC_F_WRITE, 0);
    }

    /** A read whose data descriptor has the given buffer, published. */
    private void directReadWithData(long addr, int len) {
        directRead();
        desc(1, addr, len, DESC_F_WRITE | DESC_F_NEXT, 2);
        publishHead(0);
    }

    /** A valid one-block read in indirect entries 0 to 2; cases overwrite the entry they break. */
    private void indirectRead() {
        header(VirtioBlkProtocol.T_IN);
        entry(0, HDR, 16, DESC_F_NEXT, 1);
        entry(1, DATA, BLOCK, DESC_F_WRITE | DESC_F_NEXT, 2);
        entry(2, STATUS, 1, DESC_F_WRITE, 0);
    }

    /** Descriptor 0 points at {@link #TABLE} with the given length; published. */
    private void indirectHead(int tableLength) {
        desc(0, TABLE, tableLength, DESC_F_INDIRECT, 0);
        publishHead(0);
    }

    private void publishHead(int head) {
        ring().offer(head);
        ring().publish();
    }

    /**
     * CVE-2016-5403: the ring is full of requests still in flight (parked in the backend)
     * and the guest offers one more head, re-using one the device has not returned.
     */
    private void fillThenOneMore() {
        backend.park = true;
        directRead();
        for (int i = 0; i < SIZE; i++) {
            ring().offer(0);
        }
        ring().publish();
        f.device.notifyQueue(0);
        f.pollAll();
        assertThat(backend.parked()).as("reads in flight before the extra head").isEqualTo(SIZE);
        publishHead(0);
    }

    private void fill(long at, int length, byte value) {
        byte[] b = new byte[length];
        Arrays.fill(b, value);
        f.memory.write(at, b, 0, length);
    }

    private byte[] watched() {
        byte[] b = new byte[WATCHED_SIZE];
        f.memory.read(WATCHED, b, 0, b.length);
        return b;
    }
}
