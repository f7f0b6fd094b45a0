package org.hvkit.block.virtio.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hvkit.block.virtio.blk.DeviceStatus;

/**
 * The seed corpus of the fuzz targets, written as the values each target reads, in the order
 * it reads them (see {@link SeedWriter}). Its output is committed under
 * {@code src/test/resources/org/hvkit/block/virtio/fuzz/<Class>Inputs/<method>/seed-*}; Jazzer
 * runs every file there in regression mode (plain {@code mvn test}) and starts fuzzing from them.
 * Crash inputs found later sit beside the seeds under their own names.
 *
 * <p>Rewrite the seeds after changing what a target reads: run {@code main} with the
 * resources directory of the fuzz package as its argument.
 */
final class SeedCorpus {

    private static final long ADDRESS_RANGE_MIN = -64;
    private static final int NEXT = 1;
    private static final int WRITE = 2;
    private static final int INDIRECT = 4;

    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        write(dir.resolve("VirtqueueFuzzTestInputs/popAndPushKeepTheRingRules"), virtqueue());
        write(dir.resolve("BlkRequestFuzzTestInputs/requestsEndInAStatusOrNeedsReset"), request());
        write(dir.resolve("DeviceStatusFuzzTestInputs/anyOrderOfConfigurationLeavesTheDeviceServingOrNeedingReset"),
                status());
        write(dir.resolve("QueueNotifyFuzzTestInputs/anyNotifyIndexServesOnlyThatQueue"), notifyIndices());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve("seed-" + e.getKey()), e.getValue());
        }
    }

    // ---- VirtqueueFuzzTest: queue size 8 at the start of RAM unless said otherwise ----

    private static final int VQ_SIZE = 8;
    private static final long VQ_NEAR_MAX = VirtqueueFuzzTest.RAM_END - VirtqueueFuzzTest.RAM_BASE + 64;

    /** Size 2^exp; EVENT_IDX, INDIRECT_DESC; synchronous completion; contiguous rings at the start of RAM. */
    private static SeedWriter vq(int exp, boolean eventIdx, boolean indirect) {
        return new SeedWriter().integer(0, 15, exp).bool(eventIdx).bool(indirect).bool(true).integer(0, 3, 0);
    }

    /** Op 0: direct descriptor {@code index} = (RAM_BASE + offset, len, flags, next). */
    private static SeedWriter desc(SeedWriter w, int size, int index, long offset, int len, int flags, int next) {
        w.integer(0, 7, 0).integer(0, size - 1, index);
        return descFields(w, size, offset, len, flags, next);
    }

    private static SeedWriter descFields(SeedWriter w, int size, long offset, int len, int flags, int next) {
        return w.bool(true).integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, offset)
                .bool(true).integer(0, 4096, len)
                .bool(true).integer(0, 7, flags)
                .bool(true).integer(0, size, next);
    }

    /** Op 2 then op 3: head in avail slot {@code slot}; avail idx = last_avail_idx + {@code ahead}. */
    private static SeedWriter publish(SeedWriter w, int size, int slot, int head, int ahead) {
        w.integer(0, 7, 2).integer(0, size - 1, slot).bool(true).integer(0, size - 1, head);
        return w.integer(0, 7, 3).bool(true).integer(0, size + 1, ahead);
    }

    /** Op 5: a kick; each chain it pops is pushed at once with a used length of 17. */
    private static SeedWriter kick(SeedWriter w, int chains) {
        w.integer(0, 7, 5);
        for (int i = 0; i < chains; i++) {
            w.bool(false).int32(17);
        }
        return w;
    }

    private static Map<String, byte[]> virtqueue() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int s = VQ_SIZE;
        SeedWriter w = vq(3, false, false);
        desc(w, s, 0, 0x1000, 16, NEXT, 1);
        desc(w, s, 1, 0x1100, 1, WRITE, 0);
        publish(w, s, 0, 0, 1);
        seeds.put("valid-chain", kick(w, 1).toBytes());

        w = vq(3, true, false);
        desc(w, s, 0, 0x1000, 16, NEXT, 1);
        desc(w, s, 1, 0x1100, 1, WRITE, 0);
        publish(w, s, 0, 0, 1);
        kick(w, 1);
        publish(w, s, 1, 0, 1);
        seeds.put("event-idx-two-kicks", kick(w, 1).toBytes());

        w = vq(3, false, false);
        desc(w, s, 0, 0x1000, 16, NEXT, 1);
        desc(w, s, 1, 0x1100, 16, NEXT | WRITE, 0);
        publish(w, s, 0, 0, 1);
        seeds.put("chain-loop", kick(w, 0).toBytes());

        w = vq(3, false, false);
        desc(w, s, 0, 0x1000, 16, NEXT, 1);
        w.integer(0, 7, 0).integer(0, s - 1, 1).bool(false).int64(0x7fff_0000_0000L)
                .bool(true).integer(0, 4096, 512).bool(true).integer(0, 7, WRITE).bool(true).integer(0, s, 0);
        publish(w, s, 0, 0, 1);
        seeds.put("buffer-outside-ram", kick(w, 0).toBytes());

        w = vq(3, false, false);
        desc(w, s, 0, 0x1000, 16, NEXT, s);
        publish(w, s, 0, 0, 1);
        seeds.put("next-out-of-range", kick(w, 0).toBytes());

        w = vq(3, false, false);
        desc(w, s, 0, 0x1000, 16, 0, 0);
        publish(w, s, 0, s - 1, s + 1);
        seeds.put("avail-idx-ran-ahead", kick(w, 0).toBytes());

        w = vq(3, false, true);
        desc(w, s, 0, 0x1800, 32, INDIRECT, 0);
        w.integer(0, 7, 1).integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, 0x1800);
        descFields(w, s, 0x1000, 16, NEXT, 1);
        w.integer(0, 7, 1).integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, 0x1810);
        descFields(w, s, 0x1100, 1, WRITE, 0);
        publish(w, s, 0, 0, 1);
        seeds.put("indirect-table", kick(w, 1).toBytes());

        w = new SeedWriter().integer(0, 15, 3).bool(false).bool(false).bool(true).integer(0, 3, 3)
                .int64(-4096).int64(VirtqueueFuzzTest.RAM_BASE).int64(Long.MAX_VALUE);
        seeds.put("rings-outside-ram", kick(w, 0).toBytes());

        w = vq(15, true, true);
        seeds.put("largest-queue", kick(w, 0).toBytes());

        w = new SeedWriter().integer(0, 15, 3).bool(false).bool(false).bool(false).integer(0, 3, 0);
        desc(w, s, 0, 0x1000, 16, NEXT, 1);
        desc(w, s, 1, 0x1100, 1, WRITE, 0);
        publish(w, s, 0, 0, 1);
        w.integer(0, 7, 5); // asynchronous: the chain stays in flight
        w.integer(0, 7, 7); // reset with the chain in flight
        seeds.put("reset-in-flight", w.toBytes());

        // The used ring placed so that used->ring[0].len is avail->idx: the device's own push
        // makes 8 more chains "available", and a kick pops more than the queue size.
        w = new SeedWriter().integer(0, 15, 3).bool(false).bool(false).bool(true).integer(0, 3, 2)
                .integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, 0).integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, 0x200)
                .integer(ADDRESS_RANGE_MIN, VQ_NEAR_MAX, 0x200 + 2 - 8);
        for (int i = 0; i < s; i++) {
            desc(w, s, i, 0x1000, 1, WRITE, 0); // pushes rewrite the heads too: all of them valid
        }
        publish(w, s, 0, 0, 1);
        w.integer(0, 7, 5).bool(false).int32(9);
        for (int i = 0; i < s; i++) {
            w.bool(false).int32(1);
        }
        seeds.put("used-ring-over-avail-idx", w.toBytes());
        return seeds;
    }

    // ---- BlkRequestFuzzTest: type indices into IN, OUT, FLUSH, GET_ID, DISCARD, WRITE_ZEROES ----

    /** Block size, read-only, INDIRECT_DESC, EVENT_IDX; then the number of chains. */
    private static SeedWriter blk(boolean big, boolean readOnly, boolean indirect, int chains) {
        return new SeedWriter().bool(big).bool(readOnly).bool(indirect).bool(false).integer(1, 3, chains);
    }

    /** A chain's header: a known type (index into the target's list), a small sector, payload bytes. */
    private static SeedWriter header(SeedWriter w, int typeIndex, long sector, byte[] payload, int segments) {
        w.bool(true).integer(0, 5, typeIndex).bool(true).integer(0, 72, sector).bool(true);
        w.integer(0, 64, payload.length).bytes(payload);
        return w.integer(1, 8, segments);
    }

    private static SeedWriter headerSegment(SeedWriter w) {
        return w.bool(false).integer(0, 4, 0).bool(true);
    }

    private static SeedWriter dataSegment(SeedWriter w, boolean writable, int chunk, int blocks) {
        return w.bool(writable).integer(0, 4, 1).integer(0, 7, chunk).integer(0, 3, 0).integer(1, 8, blocks)
                .bool(true);
    }

    private static SeedWriter statusSegment(SeedWriter w, int length) {
        return w.bool(true).integer(0, 4, 2).integer(1, 2, length);
    }

    /** Direct or indirect chain; then queue 1's sector. */
    private static byte[] endBlk(SeedWriter w, boolean indirect) {
        return w.bool(indirect).integer(0, 63, 5).toBytes();
    }

    private static Map<String, byte[]> request() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        SeedWriter w = header(blk(false, false, false, 1), 0, 8, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 2);
        statusSegment(w, 1);
        seeds.put("read", endBlk(w, false));

        w = header(blk(false, false, false, 1), 1, 8, new byte[] {1, 2, 3, 4}, 3);
        headerSegment(w);
        dataSegment(w, false, 0, 1);
        statusSegment(w, 1);
        seeds.put("write", endBlk(w, false));

        w = header(blk(false, false, true, 1), 0, 0, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        seeds.put("indirect-read", endBlk(w, true));

        w = header(blk(false, false, false, 1), 3, 0, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        seeds.put("get-id", endBlk(w, false));

        w = header(blk(false, false, false, 1), 2, 0, new byte[0], 2);
        headerSegment(w);
        statusSegment(w, 1);
        seeds.put("flush", endBlk(w, false));

        // Discard of 8 sectors at 16: sector u64, num_sectors u32, flags u32.
        byte[] range = {16, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        w = header(blk(false, false, false, 1), 4, 0, range, 3);
        headerSegment(w);
        w.bool(false).integer(0, 4, 1).integer(0, 7, 0).integer(0, 3, 0).integer(1, 8, 1).bool(false)
                .integer(0, 511, 512 - 16);
        statusSegment(w, 1);
        seeds.put("discard", endBlk(w, false));

        w = header(blk(false, false, false, 1), 5, 0, range, 3);
        headerSegment(w);
        w.bool(false).integer(0, 4, 1).integer(0, 7, 0).integer(0, 3, 0).integer(1, 8, 1).bool(false)
                .integer(0, 511, 512 - 16);
        statusSegment(w, 1);
        seeds.put("write-zeroes", endBlk(w, false));

        w = header(blk(false, false, false, 1), 0, 72, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        seeds.put("read-past-the-end", endBlk(w, false));

        w = header(blk(true, false, false, 1), 0, 3, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        seeds.put("unaligned-4k-read", endBlk(w, false));

        w = header(blk(false, true, false, 1), 1, 0, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, false, 0, 1);
        statusSegment(w, 1);
        seeds.put("write-read-only", endBlk(w, false));

        w = blk(false, false, false, 1).bool(false).int32(0x7777).bool(true).integer(0, 72, 0).bool(true)
                .integer(0, 64, 0).integer(1, 8, 2);
        headerSegment(w);
        statusSegment(w, 1);
        seeds.put("unknown-type", endBlk(w, false));

        w = header(blk(false, false, false, 1), 0, 0, new byte[0], 3);
        w.bool(false).integer(0, 4, 0).bool(false).integer(1, 64, 15);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        seeds.put("short-header", endBlk(w, false));

        w = header(blk(false, false, false, 1), 1, 0, new byte[0], 2);
        headerSegment(w);
        dataSegment(w, false, 0, 1);
        seeds.put("no-status", endBlk(w, false));

        w = header(blk(false, false, false, 1), 0, 0, new byte[0], 3);
        headerSegment(w);
        w.bool(true).integer(0, 4, 4).int64(0x7fff_ffff_f000L).int32(4096);
        statusSegment(w, 1);
        seeds.put("data-outside-ram", endBlk(w, false));

        w = header(blk(false, false, false, 2), 0, 0, new byte[0], 3);
        headerSegment(w);
        dataSegment(w, true, 1, 1);
        statusSegment(w, 1);
        w.bool(false);
        header(w, 1, 16, new byte[] {9, 9}, 3);
        w.bool(false).integer(0, 4, 0).bool(true);
        dataSegment(w, false, 2, 1);
        statusSegment(w, 1);
        seeds.put("read-then-write", endBlk(w, false));
        return seeds;
    }

    // ---- DeviceStatusFuzzTest ----

    private static SeedWriter statusStep(SeedWriter w, int step) {
        return w.integer(0, 7, 0).bool(true).integer(0, 6, step);
    }

    private static SeedWriter features(SeedWriter w, int kind) {
        return w.integer(0, 7, 1).integer(0, 4, kind);
    }

    private static SeedWriter standardQueue(SeedWriter w, int q) {
        return w.integer(0, 7, 2).bool(true).integer(-1, 2, q).bool(true).integer(0, 6, 4).integer(0, 2, 0);
    }

    private static SeedWriter submit(SeedWriter w, int q, int sector) {
        return w.integer(0, 7, 3).integer(0, 1, q).integer(0, 63, sector);
    }

    private static SeedWriter poll(SeedWriter w) {
        return w.integer(0, 7, 5);
    }

    private static Map<String, byte[]> status() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        SeedWriter w = new SeedWriter();
        statusStep(w, 0);
        statusStep(w, 1);
        features(w, 0);
        statusStep(w, 2);
        standardQueue(w, 0);
        standardQueue(w, 1);
        statusStep(w, 3);
        submit(w, 0, 3);
        submit(w, 1, 4);
        seeds.put("initialise-and-read", poll(w).toBytes());

        w = new SeedWriter();
        statusStep(w, 1);
        features(w, 2);
        statusStep(w, 2);
        statusStep(w, 3);
        seeds.put("features-without-version-1", poll(w).toBytes());

        w = new SeedWriter();
        statusStep(w, 1);
        features(w, 3).integer(0, 63, 40);
        statusStep(w, 2);
        seeds.put("feature-not-offered", poll(w).toBytes());

        w = new SeedWriter();
        statusStep(w, 1);
        standardQueue(w, 0);
        w.integer(0, 7, 0).bool(false).int32(DeviceStatus.DRIVER_OK);
        features(w, 0);
        statusStep(w, 2);
        submit(w, 0, 1);
        seeds.put("driver-ok-before-features-ok", poll(w).toBytes());

        w = new SeedWriter();
        statusStep(w, 1);
        features(w, 0);
        statusStep(w, 2);
        standardQueue(w, 0);
        statusStep(w, 3);
        standardQueue(w, 1);
        submit(w, 0, 2);
        w.integer(0, 7, 7);
        submit(w, 0, 2);
        seeds.put("set-up-after-driver-ok-then-reset", poll(w).toBytes());

        w = new SeedWriter();
        statusStep(w, 1);
        features(w, 0);
        statusStep(w, 2);
        w.integer(0, 7, 2).bool(true).integer(-1, 2, 0).bool(true).integer(0, 6, 3).integer(0, 2, 1)
                .integer(0, 0x2000, 0x100);
        w.integer(0, 7, 2).bool(false).int32(-7).bool(false).int32(48).integer(0, 2, 2)
                .int64(1).int64(2).int64(3);
        statusStep(w, 3);
        w.integer(0, 7, 4).bool(false).int32(Integer.MIN_VALUE);
        w.integer(0, 7, 4).bool(true).integer(-1, 2, 0);
        w.integer(0, 7, 6).int32(34).int32(2);
        w.integer(0, 7, 0).bool(false).int32(DeviceStatus.NEEDS_RESET | 0x20);
        seeds.put("junk-ring-bad-index-and-reads", poll(w).toBytes());
        return seeds;
    }

    // ---- QueueNotifyFuzzTest: indices into the target's table: -1, MIN, MAX, 4, 5, 0xffff, 0x10000, -4, 0..3 ----

    private static SeedWriter notifyIndex(SeedWriter w, int tableIndex) {
        return w.integer(0, 5, 0).bool(true).integer(0, 11, tableIndex);
    }

    private static Map<String, byte[]> notifyIndices() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        SeedWriter w = new SeedWriter();
        w.integer(0, 5, 2).integer(0, 3, 2).integer(0, 63, 7);
        for (int i = 0; i < 8; i++) {
            notifyIndex(w, i);
        }
        w.integer(0, 5, 3).integer(0, 1, 0);
        notifyIndex(w, 10);
        seeds.put("bad-indices-then-queue-2", w.integer(0, 5, 3).integer(0, 1, 0).toBytes());

        w = new SeedWriter();
        w.integer(0, 5, 2).integer(0, 3, 1).integer(0, 63, 1);
        w.integer(0, 5, 4).integer(0, 3, 1).integer(0, 0xffff - 16, 100);
        notifyIndex(w, 9);
        w.integer(0, 5, 3).integer(0, 1, 1);
        w.integer(0, 5, 2).integer(0, 3, 3).integer(0, 63, 2);
        seeds.put("broken-queue-1", w.toBytes());

        w = new SeedWriter();
        w.integer(0, 5, 2).integer(0, 3, 0).integer(0, 63, 4);
        w.integer(0, 5, 1).bool(false).int32(0x7fff_0000);
        w.integer(0, 5, 3).integer(0, 1, 0);
        w.integer(0, 5, 5);
        w.integer(0, 5, 2).integer(0, 3, 0).integer(0, 63, 5);
        notifyIndex(w, 8);
        seeds.put("huge-index-reset", w.integer(0, 5, 3).integer(0, 1, 0).toBytes());
        return seeds;
    }
}
