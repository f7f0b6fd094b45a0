package org.hvkit.block.virtio.blk;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.EventNotifier;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.queue.VirtqueueElement;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * One virtio-blk request queue served by one {@link AioContext} (QEMU's virtio-blk dataplane
 * with {@code iothread-vq-mapping}).
 *
 * <p>A kick sets the queue's {@link EventNotifier} (our ioeventfd): lock-free, wakes the loop,
 * and any number of kicks before the loop runs cost one handler run. The handler, in the
 * context's thread, drains the available ring with guest notifications off and re-checks after
 * turning them on. Each completion is pushed and published at once; the guest interrupt is
 * decided once per burst, in one of two ways. Completions pushed while the kick handler runs
 * (synchronous backends) only mark the interrupt due, and the handler decides at its end, after
 * its last look at the ring (QEMU's {@code defer_call_begin/end} section around the handler).
 * Completions that arrive outside the handler (asynchronous backends) schedule a per-queue
 * {@link BottomHalf}, which runs once however often it was scheduled in a loop iteration. Either
 * way a burst costs one {@code needsNotification()} and at most one interrupt.
 *
 * <p>Lifecycle: created unbound to any request state; {@link #start} hands it a virtqueue and
 * a handler (the device does so on DRIVER_OK); a broken ring or malformed request makes it
 * {@linkplain #isFailed() fail}, which stops only this queue; {@link #halt()} and
 * {@link #quiesce} stop it and wait until nothing is in flight (device reset). The
 * context-bound parts (notifier, BH) live in one {@link Binding} so a later hot swap can detach
 * them from one context and bind fresh ones on another; that protocol is not implemented yet.
 *
 * <p>Thread-safety: stated per method. The request path (kick, handler, completions, interrupt
 * BH) takes no lock and, with a synchronous backend, allocates nothing in steady state.
 */
public final class BlkQueue {

    /** {@link #deferral} bit: the kick handler is running, so a push only marks the interrupt due. */
    private static final int IN_HANDLER = 1;
    /** {@link #deferral} bit: a push inside the handler published a completion. */
    private static final int INTERRUPT_DUE = 2;

    private final int index;
    private final BlkQueueCounters counters = new BlkQueueCounters();
    /** Called in the home thread when the queue breaks or a request is malformed. */
    private final Runnable onDeviceError;
    /** Allocated once: the handler's per-push hook. */
    private final Runnable pushedHook = this::onPushed;
    private final Binding binding;
    /**
     * The deferred-interrupt section's state, {@link #IN_HANDLER} and {@link #INTERRUPT_DUE}.
     * Plain: only the home thread reads or writes it, and pushes happen in that thread.
     */
    private int deferral;

    /**
     * Whether the handler may pop. Volatile: start() writes vq, handler and sink, then sets it;
     * the handler reads it first, so it sees those writes (pairs with the write in start).
     * halt() and quiesce() clear it from any thread; a handler checks it between requests.
     */
    private volatile boolean running;

    /**
     * Set by the home thread when the ring broke or a request was malformed; cleared when the
     * queue is quiesced (device reset). Volatile: the monitor reads it from any thread.
     */
    private volatile boolean failed;

    // Request state: written by the device's thread before running is set, or by the home
    // thread in drainStep(); read only by the home thread after it has read running.
    private SplitVirtqueue vq;
    private VirtioBlkRequestHandler handler;
    private InterruptSink sink;

    /**
     * Creates a stopped queue bound to a context.
     *
     * @param index the queue index
     * @param context the context whose thread serves this queue
     * @param onDeviceError run in the context thread when the ring breaks or a request is
     *     malformed; the device enters NEEDS_RESET
     */
    public BlkQueue(int index, AioContext context, Runnable onDeviceError) {
        this.index = index;
        this.onDeviceError = Objects.requireNonNull(onDeviceError, "onDeviceError");
        this.binding = new Binding(Objects.requireNonNull(context, "context"));
    }

    /** The context-bound objects: the unit a hot swap will replace. */
    private final class Binding {
        final AioContext context;
        final EventNotifier kick;
        final BottomHalf interrupt;

        Binding(AioContext context) {
            this.context = context;
            this.kick = context.newEventNotifier("virtio-blk vq" + index + " kick", BlkQueue.this::onKick);
            this.interrupt = context.newBottomHalf("virtio-blk vq" + index + " irq", BlkQueue.this::sendInterrupt);
        }

        void close() {
            kick.close();
            interrupt.delete();
        }
    }

    /** The queue index. Thread-safety: any thread. */
    public int index() {
        return index;
    }

    /** The context serving this queue. Thread-safety: any thread. */
    public AioContext context() {
        return binding.context;
    }

    /** True between {@link #start} and a halt or quiesce. Thread-safety: any thread. */
    public boolean isRunning() {
        return running;
    }

    /** True if this queue stopped on a guest error and waits for a device reset. Thread-safety: any thread. */
    public boolean isFailed() {
        return failed;
    }

    /** The counters, possibly a moment stale. Thread-safety: any thread; never blocks. */
    public BlkQueueStats stats() {
        return counters.snapshot();
    }

    /**
     * Takes a snapshot in the queue's context thread, so the indices agree with each other;
     * a context that does not answer in time (or is closed) gives a {@link QueueState#BUSY}
     * snapshot with the counters only.
     *
     * <p>Thread-safety: any thread; from another thread it waits at most {@code timeout}.
     *
     * @param timeout the longest wait for the context
     * @return the snapshot
     */
    public QueueSnapshot snapshot(Duration timeout) {
        AioContext context = binding.context;
        try {
            return context.call(this::snapshotInHomeThread, timeout);
        } catch (ContextBusyException | IllegalStateException unanswered) {
            BlkQueueStats stats = counters.snapshot();
            return new QueueSnapshot(index, context.name(), QueueState.BUSY, 0, 0, 0, 0, stats.inFlight(),
                    stats.kicks(), stats.requests(), stats.interruptsSent(), stats.interruptsSuppressed());
        }
    }

    /** Only the home thread: vq and handler are the home thread's to read. */
    private QueueSnapshot snapshotInHomeThread() {
        BlkQueueStats stats = counters.snapshot();
        SplitVirtqueue q = vq;
        QueueState state = failed ? QueueState.FAILED : running ? QueueState.RUNNING : QueueState.STOPPED;
        if (q == null) {
            return new QueueSnapshot(index, binding.context.name(), state, 0, 0, 0, 0, stats.inFlight(),
                    stats.kicks(), stats.requests(), stats.interruptsSent(), stats.interruptsSuppressed());
        }
        return new QueueSnapshot(index, binding.context.name(), state, q.layout().size(), q.availIdx(), q.usedIdx(),
                q.lastAvailIdx(), handler.inFlight(), stats.kicks(), stats.requests(), stats.interruptsSent(),
                stats.interruptsSuppressed());
    }

    /**
     * Starts serving: requests already available are handled as if the driver had kicked.
     *
     * <p>Thread-safety: the device's configuration thread, while the queue is stopped and
     * quiesced; never blocks.
     *
     * @param queue the virtqueue, new or reset
     * @param requestHandler the handler pushing into {@code queue}, made with {@link #pushedHook()}
     * @param interrupts where queue interrupts go
     */
    void start(SplitVirtqueue queue, VirtioBlkRequestHandler requestHandler, InterruptSink interrupts) {
        this.vq = Objects.requireNonNull(queue, "queue");
        this.handler = Objects.requireNonNull(requestHandler, "requestHandler");
        this.sink = Objects.requireNonNull(interrupts, "interrupts");
        running = true; // publishes the three fields above to the handler (see the field)
        // Like QEMU starting dataplane: look at the ring once, a kick may have come early.
        binding.kick.set();
    }

    /** The hook to give the handler; see {@link VirtioBlkRequestHandler}. */
    Runnable pushedHook() {
        return pushedHook;
    }

    /**
     * The driver's kick.
     *
     * <p>Thread-safety: any thread; never blocks; lock-free.
     */
    public void kick() {
        counters.kick();
        // Set even when stopped: the handler checks running, and a kick lost before start is
        // covered by start's own set().
        binding.kick.set();
    }

    /**
     * Stops taking requests, at once and without waiting; in-flight requests still complete.
     * A device reset halts every queue before it waits for any.
     *
     * <p>Thread-safety: any thread; never blocks.
     */
    void halt() {
        running = false;
    }

    /**
     * Stops the queue and waits until its handler is not running and no request is in flight,
     * then forgets the virtqueue and handler: after this returns nothing writes to the old
     * rings, so the driver may reuse that memory (virtio reset semantics).
     *
     * <p>Thread-safety: any thread. From the context's home thread it polls the context
     * (nested, as QEMU's {@code AIO_WAIT_WHILE}) until completions are in; from another thread
     * it waits through {@link AioContext#call}, which needs the home thread to keep polling.
     *
     * @param timeout the longest wait
     * @throws org.hvkit.aio.ContextBusyException if the context does not answer in time
     */
    void quiesce(Duration timeout) {
        running = false;
        AioContext context = binding.context;
        if (context.inContextThread()) {
            while (drainStep() > 0) {
                context.poll(true);
            }
            return;
        }
        if (vq == null) {
            return; // never started: no handler can run, nothing to wait for
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (context.call(this::drainStep, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) > 0) {
            // Completions run in the home thread between our calls; do not spin on it.
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Only the home thread: returns the requests still in flight, or, once there are none,
     * cancels a pending interrupt and drops the request state and returns 0.
     */
    private int drainStep() {
        VirtioBlkRequestHandler h = handler;
        if (h != null && h.inFlight() > 0) {
            return h.inFlight();
        }
        binding.interrupt.cancel();
        failed = false;
        vq = null;
        handler = null;
        sink = null;
        counters.inFlight(0);
        return 0;
    }

    /**
     * The kick handler: the classic drain loop of {@link SplitVirtqueue}'s Javadoc, as one
     * deferred-interrupt section.
     *
     * <p>Thread-safety: only the queue's context thread.
     */
    private void onKick() {
        binding.kick.testAndClear();
        if (!running) {
            return; // stopped, or kicked before DRIVER_OK: leave the ring alone
        }
        int ended;
        deferral = IN_HANDLER;
        try {
            serve();
        } finally {
            // Even if the handler throws: a section left open would swallow every later
            // interrupt of an asynchronous backend.
            ended = deferral;
            deferral = 0;
        }
        if ((ended & INTERRUPT_DUE) != 0) {
            sendInterrupt(); // once, after the last look at the ring: the whole burst is in
        }
    }

    /** Only the home thread, inside the deferral section: drain until the ring stays empty. */
    private void serve() {
        SplitVirtqueue q = vq;
        boolean again;
        do {
            q.enableGuestNotifications(false);
            if (!drain(q)) {
                return;
            }
            again = q.enableGuestNotifications(true);
        } while (again && running && !q.isBroken());
        if (q.isBroken()) {
            fail();
        }
    }

    /** Pops and handles until the ring is empty; false if a request was malformed or we stopped. */
    private boolean drain(SplitVirtqueue q) {
        for (VirtqueueElement e; running && (e = q.pop()) != null; ) {
            counters.request();
            int result = handler.handle(e);
            counters.inFlight(handler.inFlight());
            if (result == VirtioBlkRequestHandler.DEVICE_ERROR) {
                fail();
                return false;
            }
        }
        return running;
    }

    /**
     * Only the home thread, from the handler right after a push: publish now, interrupt at the
     * end of the kick handler if it is running, else from the BH.
     */
    private void onPushed() {
        vq.publish();
        counters.inFlight(handler.inFlight());
        if (handler.hasDeviceError()) {
            fail();
            return;
        }
        if ((deferral & IN_HANDLER) != 0) {
            deferral |= INTERRUPT_DUE; // onKick decides once at its end
        } else {
            binding.interrupt.schedule(); // once per burst: repeated schedules before it runs merge
        }
    }

    /** Only the home thread: the interrupt decision, from the BH or the kick handler's end. */
    private void sendInterrupt() {
        SplitVirtqueue q = vq;
        if (q == null || !running) {
            return; // reset or device error: the driver will not look at this ring again
        }
        if (q.needsNotification()) {
            counters.interruptSent();
            sink.queueInterrupt(index);
        } else {
            counters.interruptSuppressed();
        }
    }

    /** Only the home thread: stop this queue and tell the device, which raises NEEDS_RESET. */
    private void fail() {
        running = false;
        failed = true;
        onDeviceError.run();
    }

    /**
     * Releases the notifier and the BH. The queue must be quiesced first.
     *
     * <p>Thread-safety: the device's configuration thread; never blocks.
     */
    void close() {
        running = false;
        binding.close();
    }
}
