package org.hvkit.block.virtio.blk;

import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.DISCARD_SEGMENT_SIZE;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.OUT_HEADER_SIZE;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.SECTOR_SHIFT;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_IOERR;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_OK;
import static org.hvkit.block.virtio.blk.VirtioBlkProtocol.S_UNSUPP;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.queue.VirtqueueElement;

/**
 * Executes virtio-blk requests (virtio 1.2 §5.2.6) popped from one queue against a backend,
 * with the checks of QEMU's {@code virtio_blk_handle_request}:
 * <ul>
 * <li>no readable or no writable buffer, a header shorter than 16 bytes, or a malformed
 *     discard/write-zeroes payload: {@link #DEVICE_ERROR}; the element is not pushed (QEMU
 *     detaches it) and the caller puts the device into NEEDS_RESET;
 * <li>a range past the capacity, not whole aligned blocks, larger than a request may be,
 *     more data segments than seg_max, or a discard/write-zeroes segment over its limit:
 *     IOERR; so is any write, discard or write-zeroes on a read-only backend;
 * <li>an unknown type, DISCARD or WRITE_ZEROES when not offered, more discard/write-zeroes
 *     segments than the limit, or unsupported segment flags: UNSUPP.
 * </ul>
 * A completed request gets its status byte and is pushed with the bytes written into its
 * writable buffers: data plus the status byte on success, the status byte alone on failure
 * (QEMU reports the whole writable size; the specification asks for what was written). The
 * caller publishes once per burst. No exception leaves {@link #handle} for any guest input.
 *
 * <p>Allocation: request objects are pooled and grow to the most in flight at once (at most
 * the queue size); in steady state handling a request allocates nothing.
 *
 * <p>Thread-safety: none. Only the queue's home thread calls {@link #handle}, and backends
 * complete on that thread.
 */
public final class VirtioBlkRequestHandler {

    /** The request completed, or was submitted and completes later. */
    public static final int HANDLED = 0;
    /** The request was malformed: the caller puts the device into NEEDS_RESET. */
    public static final int DEVICE_ERROR = 1;

    private final GuestMemory memory;
    private final SplitVirtqueue queue;
    /** Replaced by {@link #backend(BlockBackend)} while no home thread runs the handler. */
    private BlockBackend backend;
    private final VirtioBlkConfig config;
    private final long totalSectors;
    private final byte[] id = new byte[VirtioBlkProtocol.ID_BYTES];
    private final byte[] header = new byte[Math.max(OUT_HEADER_SIZE, DISCARD_SEGMENT_SIZE)];
    private final int maxRangeSegments;
    /** Run after every push, so the queue can publish and batch the guest interrupt. */
    private final Runnable onPushed;
    private BlkRequest[] free = new BlkRequest[4];
    private int freeCount;
    private int inFlight;
    private boolean deviceError;
    /**
     * Set once by {@link #orphan()}; read by {@link #finish} on every completion. Volatile:
     * the queue may orphan from a thread other than the home thread when that thread does not
     * answer (see {@link BlkQueue#detach}); pairs with the read in finish.
     */
    private volatile boolean orphaned;

    /**
     * Creates the handler for one queue.
     *
     * @param memory the guest RAM
     * @param queue the queue whose elements it handles and pushes
     * @param backend the storage; its capacity must equal the configuration's
     * @param config the configuration space (limits, block size)
     * @param serial the device serial for GET_ID; UTF-8, cut to 20 bytes
     */
    public VirtioBlkRequestHandler(GuestMemory memory, SplitVirtqueue queue, BlockBackend backend,
            VirtioBlkConfig config, String serial) {
        this(memory, queue, backend, config, serial, () -> { });
    }

    /**
     * Creates the handler for one queue with a hook run after each push.
     *
     * @param memory the guest RAM
     * @param queue the queue whose elements it handles and pushes
     * @param backend the storage; its capacity must equal the configuration's
     * @param config the configuration space (limits, block size)
     * @param serial the device serial for GET_ID; UTF-8, cut to 20 bytes
     * @param onPushed run in the queue's home thread right after each completed request is
     *     pushed (inside {@link #handle} for a synchronous backend, later for an asynchronous one);
     *     it must not call {@link #handle}
     */
    public VirtioBlkRequestHandler(GuestMemory memory, SplitVirtqueue queue, BlockBackend backend,
            VirtioBlkConfig config, String serial, Runnable onPushed) {
        this.onPushed = Objects.requireNonNull(onPushed, "onPushed");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        if (config.capacitySectors() << SECTOR_SHIFT != backend.capacity()) {
            throw new IllegalArgumentException("config capacity of " + config.capacitySectors()
                    + " sectors does not match the backend's " + backend.capacity() + " bytes");
        }
        this.totalSectors = config.capacitySectors();
        byte[] s = Objects.requireNonNull(serial, "serial").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(s, 0, id, 0, Math.min(s.length, id.length));
        this.maxRangeSegments = Math.max(1, Math.max(config.maxDiscardSeg(), config.maxWriteZeroesSeg()));
    }

    /**
     * Executes one popped request. The element may be reused as soon as this returns.
     *
     * @param e the element
     * @return {@link #HANDLED} or {@link #DEVICE_ERROR}
     */
    public int handle(VirtqueueElement e) {
        Objects.requireNonNull(e, "e");
        if (e.readableCount() == 0 || e.writableCount() == 0
                || e.writableLength(e.writableCount() - 1) < VirtioBlkProtocol.STATUS_SIZE) {
            return DEVICE_ERROR;
        }
        BlkRequest r = acquire();
        int lastWritable = e.writableCount() - 1;
        r.start(e.head(), e.writableAddress(lastWritable) + e.writableLength(lastWritable) - 1, 1);
        try {
            if (ChainData.gather(memory, e, 0, header, OUT_HEADER_SIZE) != OUT_HEADER_SIZE) {
                return abandon(r);
            }
            int type = ChainData.le32(header, 0);
            long sector = ChainData.le64(header, 8);
            return switch (type) {
                case VirtioBlkProtocol.T_IN -> read(e, r, sector);
                case VirtioBlkProtocol.T_OUT -> write(e, r, sector);
                case VirtioBlkProtocol.T_FLUSH -> flush(r);
                case VirtioBlkProtocol.T_GET_ID -> getId(e, r);
                case VirtioBlkProtocol.T_DISCARD -> ranges(e, r, false);
                case VirtioBlkProtocol.T_WRITE_ZEROES -> ranges(e, r, true);
                default -> completeNow(r, S_UNSUPP);
            };
        } catch (GuestMemoryException ex) {
            // The queue checked every segment, so this means a device bug or a racing
            // remap; either way the request cannot be trusted. Backends throw before they
            // complete, so a request still pending was not pushed and goes back unpushed.
            return r.isPending() ? abandon(r) : DEVICE_ERROR;
        }
    }

    private int read(VirtqueueElement e, BlkRequest r, long sector) {
        if (!ChainData.writableData(e, r.iov) || !SectorRange.ok(sector, r.iov.size(), totalSectors, config.blkSize())) {
            return completeNow(r, S_IOERR);
        }
        r.dataWritten = r.iov.size();
        backend.read(memory, r.iov, sector << SECTOR_SHIFT, r);
        return HANDLED;
    }

    private int write(VirtqueueElement e, BlkRequest r, long sector) {
        if (backend.isReadOnly() || !ChainData.readableData(e, OUT_HEADER_SIZE, r.iov)
                || !SectorRange.ok(sector, r.iov.size(), totalSectors, config.blkSize())) {
            return completeNow(r, S_IOERR);
        }
        backend.write(memory, r.iov, sector << SECTOR_SHIFT, r);
        return HANDLED;
    }

    private int flush(BlkRequest r) {
        backend.flush(r);
        return HANDLED;
    }

    private int getId(VirtqueueElement e, BlkRequest r) {
        if (!ChainData.writableData(e, r.iov)) {
            return completeNow(r, S_IOERR);
        }
        // The serial zero-padded to 20 bytes, cut to the buffer: the driver reads a
        // NUL-terminated string only when it is shorter than 20 bytes.
        int n = (int) Math.min(r.iov.size(), id.length);
        ChainData.scatter(memory, id, n, r.iov);
        r.dataWritten = n;
        return completeNow(r, S_OK);
    }

    private int ranges(VirtqueueElement e, BlkRequest r, boolean writeZeroes) {
        int maxSectors = writeZeroes ? config.maxWriteZeroesSectors() : config.maxDiscardSectors();
        int maxSegments = writeZeroes ? config.maxWriteZeroesSeg() : config.maxDiscardSeg();
        long payload = e.readableBytes() - OUT_HEADER_SIZE;
        if (maxSectors == 0 || payload > (long) maxSegments * DISCARD_SEGMENT_SIZE) {
            return completeNow(r, S_UNSUPP);
        }
        if (payload == 0 || payload % DISCARD_SEGMENT_SIZE != 0) {
            return abandon(r);
        }
        int count = (int) (payload / DISCARD_SEGMENT_SIZE);
        int status = parseRanges(e, r, count, maxSectors, writeZeroes);
        if (status != S_OK) {
            return completeNow(r, status);
        }
        if (backend.isReadOnly()) {
            return completeNow(r, S_IOERR);
        }
        submitRanges(r, count, writeZeroes);
        return HANDLED;
    }

    /** Validates and copies each segment; the first bad one decides the status. */
    private int parseRanges(VirtqueueElement e, BlkRequest r, int count, int maxSectors, boolean writeZeroes) {
        for (int i = 0; i < count; i++) {
            ChainData.gather(memory, e, OUT_HEADER_SIZE + (long) i * DISCARD_SEGMENT_SIZE, header, DISCARD_SEGMENT_SIZE);
            long sector = ChainData.le64(header, 0);
            long sectors = Integer.toUnsignedLong(ChainData.le32(header, 8));
            int flags = ChainData.le32(header, 12);
            if (sectors > maxSectors || !SectorRange.ok(sector, sectors << SECTOR_SHIFT, totalSectors, config.blkSize())) {
                return S_IOERR;
            }
            // Discard takes no flags (UNMAP on a discard is UNSUPP by the spec); write-zeroes
            // takes UNMAP only.
            int allowed = writeZeroes ? VirtioBlkProtocol.WRITE_ZEROES_FLAG_UNMAP : 0;
            if ((flags & ~allowed) != 0) {
                return S_UNSUPP;
            }
            r.segmentSectors[i] = sector;
            r.segmentCounts[i] = (int) sectors;
            r.segmentUnmap[i] = (flags & VirtioBlkProtocol.WRITE_ZEROES_FLAG_UNMAP) != 0;
        }
        return S_OK;
    }

    private void submitRanges(BlkRequest r, int count, boolean writeZeroes) {
        // Every completion is counted before the first submission: a backend may complete
        // synchronously, and the request must not finish before its last segment.
        r.start(r.head, r.statusAddress, count);
        for (int i = 0; i < count; i++) {
            long offset = r.segmentSectors[i] << SECTOR_SHIFT;
            long length = (long) r.segmentCounts[i] << SECTOR_SHIFT;
            if (writeZeroes) {
                boolean unmap = r.segmentUnmap[i] && config.writeZeroesMayUnmap();
                backend.writeZeroes(offset, length, unmap, r);
            } else {
                backend.discard(offset, length, r);
            }
        }
    }

    private int completeNow(BlkRequest r, int status) {
        r.finishNow();
        finish(r, status);
        return HANDLED;
    }

    /** Drops a malformed request without pushing it, as QEMU's virtqueue_detach_element. */
    private int abandon(BlkRequest r) {
        release(r);
        return DEVICE_ERROR;
    }

    /** Called by a request when its last backend completion arrives. */
    void finish(BlkRequest r, int status) {
        if (orphaned) {
            release(r); // the queue gave up on this request: write nothing to the rings
            return;
        }
        long used = VirtioBlkProtocol.STATUS_SIZE + (status == S_OK ? r.dataWritten : 0);
        try {
            memory.writeByte(r.statusAddress, (byte) status);
        } catch (GuestMemoryException e) {
            deviceError = true;
        }
        queue.push(r.head, (int) used);
        release(r);
        onPushed.run();
    }

    private BlkRequest acquire() {
        inFlight++;
        if (freeCount > 0) {
            BlkRequest r = free[--freeCount];
            free[freeCount] = null;
            return r;
        }
        return new BlkRequest(this, config.segMax(), maxRangeSegments);
    }

    private void release(BlkRequest r) {
        inFlight--;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = r;
    }

    /**
     * Replaces the backend, as a hot swap gives the handler the view for its new context
     * ({@link BlockBackend#forContext}).
     *
     * <p>Thread-safety: only while no thread runs the handler (its queue is detached from
     * every context); the queue publishes the change to the next home thread.
     *
     * @param view the same storage as before, seen from the new context
     * @throws IllegalArgumentException if its capacity differs from the configuration's
     */
    public void backend(BlockBackend view) {
        Objects.requireNonNull(view, "view");
        if (config.capacitySectors() << SECTOR_SHIFT != view.capacity()) {
            throw new IllegalArgumentException("the view's capacity differs from the configuration's");
        }
        this.backend = view;
    }

    /**
     * Gives up on the requests in flight: their completions, whenever they come, are dropped
     * without writing a status byte or pushing to the used ring, so they cannot race a reset
     * that reuses the rings. A backend may still write read data into the request's buffers.
     * The queue is in NEEDS_RESET when it does this. Irreversible: a reset makes a new handler.
     *
     * <p>Thread-safety: the home thread, or any thread when that thread does not answer
     * (then a completion already past the check in {@code finish} still pushes).
     */
    public void orphan() {
        orphaned = true; // pairs with the read in finish
    }

    /** True after {@link #orphan()}. Thread-safety: any thread. */
    public boolean isOrphaned() {
        return orphaned;
    }

    /** Requests submitted to the backend and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /**
     * True once a completion could not write its status byte; the caller puts the device into
     * NEEDS_RESET. Sticky until a new handler is made on reset.
     */
    public boolean hasDeviceError() {
        return deviceError;
    }
}
