package org.hvkit.block.virtio.blk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.transport.InterruptSink;
import org.hvkit.block.virtio.transport.VirtioTransport;

/**
 * A multi-queue virtio-blk device: device status, configuration space, offered features, a
 * backend and one {@link BlkQueue} per request queue, each served by an {@link AioContext}.
 * Queue {@code i} runs in {@code contexts.get(i % contexts.size())}, QEMU's round-robin
 * {@code iothread-vq-mapping}. The mapping is kept by context name, so a context can be
 * swapped for a successor of the same name while the guest runs ({@link #detachContext},
 * {@link #attachContext}; DESIGN §6): the queues keep their rings and their requests.
 *
 * <p>Rules:
 * <ul>
 * <li>Queues start serving when the driver sets DRIVER_OK (after FEATURES_OK); each queue set
 *     up with {@link #setUpQueue} gets a fresh {@link SplitVirtqueue} with the negotiated
 *     features. Kicks before that are counted and otherwise ignored.
 * <li>A broken ring or a malformed request (DEVICE_ERROR) stops that queue, sets NEEDS_RESET
 *     and calls {@link InterruptSink#configChanged()} once per error episode, from that
 *     queue's context thread. The failed queue does nothing until the driver resets the
 *     device; the other queues keep serving, so one bad ring cannot disturb the requests of
 *     another (a driver that honours NEEDS_RESET resets soon anyway).
 * <li>Writing status 0 resets: every queue stops and the reset <em>waits</em> for its handler
 *     to return and for its in-flight requests to complete and be pushed (QEMU drains the
 *     same way). When it returns nothing writes to the old rings any more, so the driver may
 *     reuse their memory. With the synchronous RAM and null backends nothing is ever in
 *     flight between handler runs, so the wait is one round trip to each context.
 * </ul>
 *
 * <p>Thread-safety: the configuration operations are serialised by the device's monitor
 * lock, which the request path never takes; {@link #notifyQueue} is lock-free from any
 * thread. A reset from a thread other than a queue's home thread needs that thread to keep
 * polling, and fails with {@link org.hvkit.aio.ContextBusyException} after
 * {@link #RESET_TIMEOUT} otherwise. The interrupt sink must not call back into the device's
 * configuration operations from a queue thread while a reset may be waiting for it.
 */
public final class VirtioBlkDevice implements VirtioTransport, AutoCloseable {

    /** The longest a reset waits for one queue's context. */
    public static final Duration RESET_TIMEOUT = Duration.ofSeconds(5);

    private static final InterruptSink NO_INTERRUPTS = new InterruptSink() {
        @Override
        public void queueInterrupt(int queue) {
        }

        @Override
        public void configChanged() {
        }
    };

    /** Guarded by this; replaced only while the device is reset. */
    private GuestMemory memory;
    private final VirtioBlkConfig config;
    private final BlockBackend backend;
    private final String serial;
    private final int maxQueueSize;
    private final DeviceStatus status;
    private final BlkQueue[] queues;
    /** The name of the context each queue is mapped to, by queue index. */
    private final String[] queueContextNames;
    /** Guarded by this. The rings the driver placed, per queue; null if not set up. */
    private final RingLayout[] layouts;
    /** Guarded by this. The virtqueue of each queue started by {@link #startQueue}, else null. */
    private final SplitVirtqueue[] resumed;
    /** Guarded by this. */
    private boolean started;
    /** Guarded by this. */
    private boolean closed;
    /**
     * Set once by the first queue that fails, cleared by reset. An atomic rather than the
     * lock: the failing queue runs in its context thread, which a reset may be waiting on
     * while holding the lock. The winner of the compare-and-set sends the one configChanged.
     */
    private final AtomicBoolean deviceError = new AtomicBoolean();
    /** Written under the lock, read by failing queues: volatile. */
    private volatile InterruptSink sink = NO_INTERRUPTS;

    /**
     * Creates a device in the reset state.
     *
     * @param memory the guest RAM the rings and buffers are in
     * @param config the configuration space; {@code numQueues} queues are made
     * @param backend the storage, its capacity equal to the configuration's
     * @param serial the serial returned by GET_ID
     * @param maxQueueSize the largest queue size the driver may choose, a power of two
     * @param contexts the contexts serving the queues, applied round-robin; not empty; each
     *     is known to {@link #detachContext} by its {@link AioContext#name()}
     */
    public VirtioBlkDevice(GuestMemory memory, VirtioBlkConfig config, BlockBackend backend, String serial,
            int maxQueueSize, List<AioContext> contexts) {
        this(memory, config, backend, serial, maxQueueSize, names(contexts), contexts);
    }

    /**
     * Creates a device in the reset state whose mapping names the contexts explicitly, as the
     * configuration's {@code iothread.vq.mapping} does (the service property
     * {@code aio.context.name}).
     *
     * @param memory the guest RAM the rings and buffers are in
     * @param config the configuration space; {@code numQueues} queues are made
     * @param backend the storage, its capacity equal to the configuration's
     * @param serial the serial returned by GET_ID
     * @param maxQueueSize the largest queue size the driver may choose, a power of two
     * @param names the context names, as long as {@code contexts}: queue {@code i} is mapped to
     *     {@code names.get(i % names.size())}
     * @param contexts the contexts serving the queues, applied round-robin; not empty
     */
    public VirtioBlkDevice(GuestMemory memory, VirtioBlkConfig config, BlockBackend backend, String serial,
            int maxQueueSize, List<String> names, List<AioContext> contexts) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.config = Objects.requireNonNull(config, "config");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.serial = Objects.requireNonNull(serial, "serial");
        new RingLayout(maxQueueSize, 0, 0, 0); // validates the size: a power of two up to 32768
        this.maxQueueSize = maxQueueSize;
        Objects.requireNonNull(contexts, "contexts");
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("at least one context is needed");
        }
        if (names.size() != contexts.size()) {
            throw new IllegalArgumentException("one name per context is needed");
        }
        this.status = new DeviceStatus(VirtioBlkFeatures.offered(config, backend.isReadOnly()));
        this.queues = new BlkQueue[config.numQueues()];
        this.layouts = new RingLayout[queues.length];
        this.resumed = new SplitVirtqueue[queues.length];
        this.queueContextNames = new String[queues.length];
        for (int i = 0; i < queues.length; i++) {
            queueContextNames[i] = Objects.requireNonNull(names.get(i % names.size()), "name");
            queues[i] = new BlkQueue(i, Objects.requireNonNull(contexts.get(i % contexts.size()), "context"),
                    backend, this::queueFailed);
        }
    }

    private static List<String> names(List<AioContext> contexts) {
        List<String> names = new ArrayList<>(Objects.requireNonNull(contexts, "contexts").size());
        for (AioContext c : contexts) {
            names.add(Objects.requireNonNull(c, "context").name());
        }
        return names;
    }

    /** {@inheritDoc} Thread-safety: any thread; never blocks (the offer never changes). */
    @Override
    public long deviceFeatures() {
        return status.deviceFeatures();
    }

    /** {@inheritDoc} Thread-safety: the driver's thread; serialised with the other configuration operations. */
    @Override
    public synchronized void driverFeatures(long features) {
        status.writeDriverFeatures(features);
    }

    /** {@inheritDoc} Thread-safety: any thread; waits only while a reset is in progress. */
    @Override
    public synchronized int status() {
        syncDeviceError();
        return status.read();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Thread-safety: the driver's thread. Writing 0 waits for every queue to quiesce
     * (see the class comment); other writes never block.
     */
    @Override
    public synchronized void status(int value) {
        syncDeviceError();
        if ((value & 0xff) == 0) {
            reset();
            return;
        }
        if (status.write(value) == DeviceStatus.WriteResult.ACCEPTED && status.isLive() && !started) {
            startQueues();
        }
    }

    /** Under the lock: NEEDS_RESET reported lock-free by a queue becomes part of the status. */
    private void syncDeviceError() {
        if (deviceError.get()) {
            status.markNeedsReset();
        }
    }

    private void startQueues() {
        started = true;
        long features = status.negotiated();
        for (int i = 0; i < queues.length; i++) {
            if (layouts[i] == null) {
                continue; // the driver did not set this queue up: it stays stopped
            }
            SplitVirtqueue vq = new SplitVirtqueue(memory, layouts[i], features);
            // The queue gives the handler the backend's view for the context serving it.
            VirtioBlkRequestHandler handler = new VirtioBlkRequestHandler(memory, vq, backend, config, serial,
                    queues[i].pushedHook());
            queues[i].start(vq, handler, sink);
        }
    }

    private void reset() {
        for (BlkQueue q : queues) {
            q.halt(); // stop them all first, so none keeps serving while we wait for another
        }
        for (BlkQueue q : queues) {
            q.quiesce(RESET_TIMEOUT);
        }
        started = false;
        Arrays.fill(layouts, null);
        Arrays.fill(resumed, null);
        status.reset();
        // Last: an error a draining completion reported belongs to the old session.
        deviceError.set(false);
    }

    /**
     * Only a queue's context thread: the queue broke or met a malformed request and has
     * stopped itself; the others are left alone.
     */
    private void queueFailed() {
        if (deviceError.compareAndSet(false, true)) {
            sink.configChanged(); // the first failure since the last reset: one notification
        }
    }

    /**
     * Starts one queue on rings the transport placed, for a transport without a status
     * register (vhost-user: a queue starts when its kick descriptor arrives). The queue must
     * be stopped; the device-level DRIVER_OK path is not used alongside.
     *
     * <p>Thread-safety: the transport's configuration thread; never blocks.
     *
     * @param index the queue index
     * @param guestMemory the guest RAM the rings and buffers are in
     * @param layout the rings, in guest-physical addresses
     * @param features the negotiated features
     * @param lastAvailIdx the available-ring index to resume at
     * @param interrupts where this queue's interrupts go
     * @throws IllegalStateException if the queue is running or the device is closed
     */
    public synchronized void startQueue(int index, GuestMemory guestMemory, RingLayout layout, long features,
            int lastAvailIdx, InterruptSink interrupts) {
        Objects.checkIndex(index, queues.length);
        if (closed || queues[index].isRunning() || layouts[index] != null) {
            throw new IllegalStateException("queue " + index + " is running");
        }
        SplitVirtqueue vq = new SplitVirtqueue(guestMemory, layout, features);
        vq.resumeAt(lastAvailIdx);
        VirtioBlkRequestHandler handler = new VirtioBlkRequestHandler(guestMemory, vq, backend, config, serial,
                queues[index].pushedHook());
        layouts[index] = layout;
        resumed[index] = vq;
        queues[index].start(vq, handler, interrupts);
    }

    /**
     * Stops one queue started with {@link #startQueue}, waiting as a reset does for its
     * handler and its requests in flight (vhost-user's GET_VRING_BASE).
     *
     * <p>Thread-safety: the transport's configuration thread; waits up to
     * {@link #RESET_TIMEOUT} for the queue's context.
     *
     * @param index the queue index
     * @return the available-ring index the queue stopped at, or -1 if it was not started
     */
    public synchronized int stopQueue(int index) {
        Objects.checkIndex(index, queues.length);
        SplitVirtqueue vq = resumed[index];
        if (vq == null) {
            return -1;
        }
        queues[index].halt();
        queues[index].quiesce(RESET_TIMEOUT);
        resumed[index] = null;
        layouts[index] = null;
        // After quiesce the home thread no longer touches vq: its last index is final.
        return vq.lastAvailIdx();
    }

    /**
     * Replaces the guest RAM the device works in, as a new memory table does (vhost-user's
     * SET_MEM_TABLE, or an in-process guest of another size). Only while no queue runs: the
     * rings and buffers of a running queue are in the old memory.
     *
     * <p>Thread-safety: the driver's or owner's thread; never blocks.
     *
     * @param guestMemory the new guest RAM
     * @throws IllegalStateException if DRIVER_OK is set and the queues run
     */
    public synchronized void memory(GuestMemory guestMemory) {
        Objects.requireNonNull(guestMemory, "guestMemory");
        if (started) {
            throw new IllegalStateException("the device is live: reset it before replacing its memory");
        }
        this.memory = guestMemory;
    }

    /**
     * The features the driver accepted, 0 before it wrote any.
     *
     * <p>Thread-safety: any thread; waits only while a reset is in progress.
     */
    public synchronized long negotiatedFeatures() {
        return status.driverFeatures();
    }

    /** {@inheritDoc} Thread-safety: any thread; never blocks. */
    @Override
    public long readConfig(int offset, int width) {
        return config.read(offset, width);
    }

    /** {@inheritDoc} Thread-safety: any thread. */
    @Override
    public int numQueues() {
        return queues.length;
    }

    /** {@inheritDoc} Thread-safety: any thread. */
    @Override
    public int maxQueueSize() {
        return maxQueueSize;
    }

    /**
     * {@inheritDoc} A bad index, a size that is not a power of two up to
     * {@link #maxQueueSize()}, or a call after DRIVER_OK is ignored, as the values come from
     * the driver.
     *
     * <p>Thread-safety: the driver's thread; never blocks.
     */
    @Override
    public synchronized void setUpQueue(int index, int size, long descriptorTable, long availRing, long usedRing) {
        if (index < 0 || index >= queues.length || started || size < 1 || size > maxQueueSize
                || Integer.bitCount(size) != 1) {
            return;
        }
        layouts[index] = new RingLayout(size, descriptorTable, availRing, usedRing);
    }

    /** {@inheritDoc} Thread-safety: any thread; never blocks; lock-free. */
    @Override
    public void notifyQueue(int index) {
        if (index >= 0 && index < queues.length) {
            queues[index].kick();
        }
    }

    /**
     * Makes queue {@code index} take its kicks from {@code source}'s channel, waited on by the
     * context serving the queue, as well as through {@link #notifyQueue}; null stops that (see
     * {@link BlkQueue#kickSource}). A bad index is ignored.
     *
     * <p>Thread-safety: any thread; never blocks; lock-free.
     *
     * @param index the queue index
     * @param source the kick channel, or null
     */
    public void kickSource(int index, KickSource source) {
        if (index >= 0 && index < queues.length) {
            queues[index].kickSource(source);
        }
    }

    /** {@inheritDoc} Thread-safety: the driver's thread, before DRIVER_OK; never blocks. */
    @Override
    public synchronized void interrupts(InterruptSink interruptSink) {
        this.sink = Objects.requireNonNull(interruptSink, "interruptSink");
    }

    /**
     * One queue, for the monitor.
     *
     * <p>Thread-safety: any thread.
     *
     * @param index the queue index
     * @return the queue
     * @throws IndexOutOfBoundsException if there is no such queue
     */
    public BlkQueue queue(int index) {
        return queues[Objects.checkIndex(index, queues.length)];
    }

    /**
     * Hot swap, step 1 (DESIGN §6): detaches every queue mapped to the context named
     * {@code contextName} ({@link BlkQueue#detach}). Requests in flight complete in that
     * context; requests the guest adds meanwhile wait in the rings. A queue whose requests do
     * not complete within {@code timeout} gives them up and fails (NEEDS_RESET); the other
     * queues are not disturbed. Queues already detached, and a closed device, are left alone.
     *
     * <p>Thread-safety: any thread but that context's home thread, while the context is still
     * open and polled; serialised with the other configuration operations, so a reset waits
     * for a swap and the other way round. Blocks about {@code timeout} per queue at most.
     *
     * @param contextName the name the queues are mapped by
     * @param timeout the longest wait for one queue's requests in flight
     * @return the number of queues detached
     */
    public synchronized int detachContext(String contextName, Duration timeout) {
        Objects.requireNonNull(contextName, "contextName");
        Objects.requireNonNull(timeout, "timeout");
        int detached = 0;
        for (int i = 0; i < queues.length && !closed; i++) {
            if (queueContextNames[i].equals(contextName) && queues[i].attachment() == BlkQueue.Attachment.ATTACHED) {
                queues[i].detach(timeout);
                detached++;
            }
        }
        return detached;
    }

    /**
     * Hot swap, step 2 (DESIGN §6): attaches every detached queue mapped to the name
     * {@code contextName} to {@code context}, its successor ({@link BlkQueue#attach}); running
     * queues resume where they stopped and serve the kicks that came meanwhile. A closed device
     * is left alone.
     *
     * <p>Thread-safety: any thread; serialised with the other configuration operations; never
     * blocks on a context.
     *
     * @param contextName the name the queues are mapped by
     * @param context the new context of that name, open
     * @return the number of queues attached
     */
    public synchronized int attachContext(String contextName, AioContext context) {
        Objects.requireNonNull(contextName, "contextName");
        Objects.requireNonNull(context, "context");
        int attached = 0;
        for (int i = 0; i < queues.length && !closed; i++) {
            if (queueContextNames[i].equals(contextName) && queues[i].attachment() == BlkQueue.Attachment.DETACHED) {
                queues[i].attach(context);
                attached++;
            }
        }
        return attached;
    }

    /**
     * Resets the device (waiting as a status write of 0 does) and releases every queue's
     * notifier and BH. The contexts are not closed: they are not the device's. Idempotent;
     * the device must not be used afterwards.
     *
     * <p>Thread-safety: the driver's or owner's thread.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        reset();
        for (BlkQueue q : queues) {
            q.close();
        }
    }
}
