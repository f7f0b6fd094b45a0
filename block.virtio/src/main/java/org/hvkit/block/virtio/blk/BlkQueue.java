package org.hvkit.block.virtio.blk;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.EventNotifier;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.hvkit.block.virtio.blk.BlkQueueAttachment.Binding;
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
 * {@link #quiesce} stop it and wait until nothing is in flight (device reset).
 *
 * <p>Hot swap (DESIGN §6), independent of the driver-facing states above: the context-bound
 * parts (kick notifier, interrupt BH) live in one {@link Binding}, kept with their life-cycle
 * in a {@link BlkQueueAttachment}, and the queue moves
 * {@linkplain Attachment#ATTACHED ATTACHED} → {@linkplain Attachment#DRAINING DRAINING} →
 * {@linkplain Attachment#DETACHED DETACHED} → ATTACHED: {@link #detach} stops popping, waits
 * for the requests in flight (they complete in the old context), raises the last interrupt
 * and releases the binding there; {@link #attach} builds a binding on the new context and
 * looks at the ring from where the queue stopped. The virtqueue and handler state (last avail
 * index, used index, EVENT_IDX shadows) are device state and survive the swap.
 *
 * <p>Thread-safety: stated per method. The request path (kick, handler, completions, interrupt
 * BH) takes no lock and, with a synchronous backend, allocates nothing in steady state.
 */
public final class BlkQueue {

    /** Where a queue stands with respect to contexts, independent of running, stopped or failed. */
    public enum Attachment {
        /** Served by a context: kicks run the handler there. */
        ATTACHED,
        /** {@link #detach} is waiting for the requests in flight; nothing new is popped. */
        DRAINING,
        /** No context: kicks are counted, requests wait in the available ring. */
        DETACHED
    }

    /** {@link #deferral} bit: the kick handler is running, so a push only marks the interrupt due. */
    private static final int IN_HANDLER = 1;
    /** {@link #deferral} bit: a push inside the handler published a completion. */
    private static final int INTERRUPT_DUE = 2;
    /** Requests one handler run may take, in rings' worth: the per-kick bound on work. */
    static final int KICK_BUDGET_RINGS = 4;
    private static final RingPosition NO_RING = new RingPosition(0, 0, 0, 0, 0);

    private final int index;
    private final BlkQueueCounters counters = new BlkQueueCounters();
    /** Called when the queue breaks, a request is malformed, or a detach gives up; see the constructor. */
    private final Runnable onDeviceError;
    /** The device's backend: each binding's handler gets its {@link BlockBackend#forContext} view. */
    private final BlockBackend backend;
    /** Allocated once: the handler's per-push hook. */
    private final Runnable pushedHook = this::onPushed;

    /**
     * The context binding and its hot-swap life-cycle. Its current binding is a volatile field,
     * through which the request state passes from an old home thread to a new one; the request
     * path reads it with one plain load of this final field and that volatile read.
     */
    private final BlkQueueAttachment attachment;

    /**
     * The ring indices as the queue left them, shown by a snapshot while detached (there is no
     * context to ask). Written by whoever owns the request state at that moment (the old home
     * thread as it closes the binding, or the configuration thread while detached); volatile
     * for the monitor's reads, which pair with those writes.
     */
    private volatile RingPosition parked = NO_RING;

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
     * The transport's kick channel, or null when kicks come through {@link #kick()} only.
     * Volatile: written by the transport's thread before it kicks; the home thread reads it in
     * the kick handler and moves the channel's registration to its context (pairs with the
     * write in {@link #kickSource}).
     */
    private volatile KickSource kickSource;

    /**
     * Set when the ring broke, a request was malformed, or a detach timed out; cleared when
     * the queue is quiesced (device reset). Volatile: the monitor reads it from any thread.
     */
    private volatile boolean failed;

    // Request state: written by the device's thread before running is set, or by the home
    // thread in drainStep(); read only by the home thread after it has read running. Across a
    // swap it passes from the old home thread to the new one through detach and attach (see
    // the current binding in BlkQueueAttachment).
    private SplitVirtqueue vq;
    private VirtioBlkRequestHandler handler;
    private InterruptSink sink;

    /**
     * Creates a stopped queue bound to a context.
     *
     * @param index the queue index
     * @param context the context whose thread serves this queue
     * @param backend the device's backend; the handler gets its view for the serving context
     * @param onDeviceError run when the ring breaks or a request is malformed (in the context
     *     thread) or when a detach gives up on requests in flight (in the detaching thread, or
     *     in the old context thread); the device enters NEEDS_RESET
     */
    public BlkQueue(int index, AioContext context, BlockBackend backend, Runnable onDeviceError) {
        this.index = index;
        this.onDeviceError = Objects.requireNonNull(onDeviceError, "onDeviceError");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.attachment = new BlkQueueAttachment(index, Objects.requireNonNull(context, "context"), new ServedQueue());
    }

    /** A detached queue's ring as the monitor sees it. */
    private record RingPosition(int size, int availIdx, int usedIdx, int lastAvailIdx, int inFlight) {
    }

    /** The queue index. Thread-safety: any thread. */
    public int index() {
        return index;
    }

    /** The context serving this queue, or while detached the one that served it last. Thread-safety: any thread. */
    public AioContext context() {
        return attachment.current().context;
    }

    /** Where the queue stands with respect to contexts. Thread-safety: any thread; never blocks. */
    public Attachment attachment() {
        return attachment.attachment();
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
     * snapshot with the counters only. A detached queue has no context: its snapshot is
     * {@link QueueState#DETACHED}, taken at once, with the ring indices as the queue left them.
     *
     * <p>Thread-safety: any thread; from another thread it waits at most {@code timeout}.
     *
     * @param timeout the longest wait for the context
     * @return the snapshot
     */
    public QueueSnapshot snapshot(Duration timeout) {
        Binding b = attachment.current();
        if (b.isClosed()) {
            return detachedSnapshot(b);
        }
        try {
            return b.context.call(() -> snapshotInHomeThread(b), timeout);
        } catch (ContextBusyException | IllegalStateException unanswered) {
            BlkQueueStats stats = counters.snapshot();
            return new QueueSnapshot(index, b.context.name(), QueueState.BUSY, 0, 0, 0, 0, stats.inFlight(),
                    stats.kicks(), stats.requests(), stats.interruptsSent(), stats.interruptsSuppressed());
        }
    }

    /** Any thread: the parked ring position and the counters. */
    private QueueSnapshot detachedSnapshot(Binding b) {
        BlkQueueStats stats = counters.snapshot();
        RingPosition p = parked;
        return new QueueSnapshot(index, b.context.name(), QueueState.DETACHED, p.size(), p.availIdx(), p.usedIdx(),
                p.lastAvailIdx(), p.inFlight(), stats.kicks(), stats.requests(), stats.interruptsSent(),
                stats.interruptsSuppressed());
    }

    /** Only the home thread of {@code b}: vq and handler are that thread's to read. */
    private QueueSnapshot snapshotInHomeThread(Binding b) {
        if (b.isClosed()) {
            return detachedSnapshot(b); // detached between our read and this call
        }
        BlkQueueStats stats = counters.snapshot();
        QueueState state = failed ? QueueState.FAILED : running ? QueueState.RUNNING : QueueState.STOPPED;
        RingPosition p = ringPosition();
        return new QueueSnapshot(index, b.context.name(), state, p.size(), p.availIdx(), p.usedIdx(),
                p.lastAvailIdx(), p.inFlight(), stats.kicks(), stats.requests(), stats.interruptsSent(),
                stats.interruptsSuppressed());
    }

    /** Only the thread owning the request state (see the fields). */
    private RingPosition ringPosition() {
        SplitVirtqueue q = vq;
        if (q == null) {
            return NO_RING;
        }
        return new RingPosition(q.layout().size(), q.availIdx(), q.usedIdx(), q.lastAvailIdx(), inFlight(handler));
    }

    /** Requests the handler still waits for; an orphaned handler's are given up and do not count. */
    private static int inFlight(VirtioBlkRequestHandler h) {
        return h == null || h.isOrphaned() ? 0 : h.inFlight();
    }

    /**
     * Starts serving: requests already available are handled as if the driver had kicked. A
     * detached queue starts serving when it is attached.
     *
     * <p>Thread-safety: the device's configuration thread, while the queue is stopped and
     * quiesced and no detach or attach runs; never blocks.
     *
     * @param queue the virtqueue, new or reset
     * @param requestHandler the handler pushing into {@code queue}, made with {@link #pushedHook()};
     *     the queue gives it the backend view of its context
     * @param interrupts where queue interrupts go
     */
    void start(SplitVirtqueue queue, VirtioBlkRequestHandler requestHandler, InterruptSink interrupts) {
        this.vq = Objects.requireNonNull(queue, "queue");
        this.handler = Objects.requireNonNull(requestHandler, "requestHandler");
        this.sink = Objects.requireNonNull(interrupts, "interrupts");
        Binding b = attachment.current();
        if (b.isClosed()) {
            parked = ringPosition();
            running = true; // attach gives the handler its backend and looks at the ring
            return;
        }
        requestHandler.backend(backend.forContext(b.context));
        running = true; // publishes the fields above to the handler (see the field)
        // Like QEMU starting dataplane: look at the ring once, a kick may have come early.
        b.kick.set();
    }

    /** The hook to give the handler; see {@link VirtioBlkRequestHandler}. */
    Runnable pushedHook() {
        return pushedHook;
    }

    /**
     * The driver's kick. While detached it is only counted: the attach looks at the ring.
     *
     * <p>Thread-safety: any thread; never blocks; lock-free.
     */
    public void kick() {
        counters.kick();
        Binding b = attachment.current();
        // Set even when stopped: the handler checks running, and a kick lost before start is
        // covered by start's own set(). A kick that read the state just before the home thread
        // closed the notifier sets a closed notifier, which only sets a flag nobody polls
        // (EventNotifier.set never throws); the attach that follows sets the new notifier
        // after the close, so that kick is served too.
        if (!b.isClosed()) {
            b.kick.set();
        }
    }

    /**
     * Makes the queue's contexts wait on {@code source}'s channel for kicks, as well as take
     * them through {@link #kick()}; null stops that. The context serving the queue registers
     * the channel in its kick handler, so this kicks once; a registration follows the queue
     * through hot swaps, and kicks that arrive while it is detached wait in the channel.
     *
     * <p>Thread-safety: any thread; never blocks. The transport closes a source it replaced
     * whenever it likes (see {@link KickSource}).
     *
     * @param source the kick channel, or null
     */
    public void kickSource(KickSource source) {
        kickSource = source;
        kick();
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
     * rings, so the driver may reuse that memory (virtio reset semantics). A detached queue
     * has nothing in flight (its detach drained or orphaned the requests) and forgets at once.
     *
     * <p>Thread-safety: any thread, but not while a detach or attach runs. From the context's
     * home thread it polls the context (nested, as QEMU's {@code AIO_WAIT_WHILE}) until
     * completions are in; from another thread it waits through {@link AioContext#call}, which
     * needs the home thread to keep polling.
     *
     * @param timeout the longest wait
     * @throws org.hvkit.aio.ContextBusyException if the context does not answer in time
     */
    void quiesce(Duration timeout) {
        running = false;
        Binding b = attachment.current();
        if (b.isClosed()) {
            forget(); // the detach handed the request state to us (see the current binding)
            parked = NO_RING;
            return;
        }
        AioContext context = b.context;
        if (context.inContextThread()) {
            while (drainStep(b) > 0) {
                context.poll(true);
            }
            return;
        }
        if (vq == null) {
            return; // never started: no handler can run, nothing to wait for
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (context.call(() -> drainStep(b), remaining(deadline)) > 0) {
            // Completions run in the home thread between our calls; do not spin on it.
            if (!pause()) {
                return;
            }
        }
    }

    /** Any thread: the time left until {@code deadline}, at least a nanosecond. */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** Any thread: sleeps a millisecond; false if interrupted (the flag is restored). */
    static boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(1);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Only the home thread of {@code b}: returns the requests still in flight, or, once there
     * are none, cancels a pending interrupt and drops the request state and returns 0.
     */
    private int drainStep(Binding b) {
        int n = inFlight(handler);
        if (n > 0) {
            return n;
        }
        b.interrupt.cancel();
        forget();
        return 0;
    }

    /** Only the thread owning the request state: the reset part of a quiesce. */
    private void forget() {
        failed = false;
        vq = null;
        handler = null;
        sink = null;
        counters.inFlight(0);
    }

    /**
     * Detaches the queue from its context (DESIGN §6, step 1): the handler pops no more
     * requests, this waits until the requests in flight have completed (in the old context,
     * which pushes and publishes them), then in the old home thread raises the interrupt if
     * completions were published since the last one, deletes the interrupt BH and closes the
     * kick notifier. Requests the driver adds meanwhile stay in the available ring. Works in
     * any driver-facing state; a failed queue stays failed.
     *
     * <p>If requests are still in flight when {@code timeout} runs out (or the context stops
     * answering), the queue gives them up rather than losing them silently: their completions
     * will write nothing to the rings (a backend may still fill a read's buffers), the queue
     * becomes failed and the device enters NEEDS_RESET through {@code onDeviceError}; the
     * other queues keep serving. Nothing is thrown for that. If the old context never answers
     * at all, a completion it runs at the same moment as the give-up may still be pushed.
     *
     * <p>Thread-safety: any thread but the queue's home thread, while its context is still open
     * and polled, and not concurrently with {@link #attach}, {@link #start} or
     * {@link #quiesce}. Blocks at most about {@code timeout} plus one second.
     *
     * @param timeout the longest wait for the requests in flight
     * @throws IllegalStateException if the queue is not attached, or on its home thread
     */
    public void detach(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        attachment.detach(timeout);
    }

    /**
     * Attaches a detached queue to a context (DESIGN §6, step 2): makes the kick notifier and
     * the interrupt BH there, gives the handler the backend's view for that context and, if
     * the queue is running, sets the notifier once, so the handler looks at the ring from the
     * last available index it took (kicks that came while detached are served by this). A
     * failed queue stays failed until the device is reset.
     *
     * <p>Thread-safety: any thread, not concurrently with {@link #detach}, {@link #start} or
     * {@link #quiesce}; never blocks.
     *
     * @param context the new context, open
     * @throws IllegalStateException if the queue is not detached, or the context is closed
     */
    public void attach(AioContext context) {
        Objects.requireNonNull(context, "context");
        attachment.attach(context);
    }

    /** Only a binding's home thread: may the handler pop? */
    private boolean serving(Binding b) {
        return running && b.isServing(); // the state pairs with the write in detach
    }

    /**
     * The kick handler of binding {@code b}: the classic drain loop of {@link SplitVirtqueue}'s
     * Javadoc, as one deferred-interrupt section.
     *
     * <p>Thread-safety: only the home thread of {@code b}.
     */
    private void onKick(Binding b) {
        b.kick.testAndClear();
        b.watch(kickSource); // pairs with the write in kickSource(); a no-op unless it changed
        // The volatile read of the current binding pairs with its write in attach (see
        // BlkQueueAttachment's field).
        if (attachment.current() != b || !serving(b)) {
            return; // stopped, draining, or kicked before DRIVER_OK: leave the ring alone
        }
        int ended;
        deferral = IN_HANDLER;
        try {
            serve(b);
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

    /**
     * Only the home thread, inside the deferral section: drain until the ring stays empty, or
     * until this run's budget of {@link #KICK_BUDGET_RINGS} rings' worth of requests is spent.
     * A guest that keeps the ring full (or makes the device's own writes refill it, with a
     * buffer laid over the available ring) thus cannot hold the IOThread: the handler sets its
     * notifier again and goes on in the next poll, after the context's other work.
     */
    private void serve(Binding b) {
        SplitVirtqueue q = vq;
        int budget = KICK_BUDGET_RINGS * q.layout().size();
        boolean again;
        do {
            q.enableGuestNotifications(false);
            budget = drain(q, b, budget);
            if (budget < 0) {
                return;
            }
            if (budget == 0) {
                b.kick.set(); // notifications stay off: this queue is polled again next time
                return;
            }
            again = q.enableGuestNotifications(true);
        } while (again && serving(b) && !q.isBroken());
        if (q.isBroken()) {
            fail();
        }
    }

    /**
     * Pops and handles until the ring is empty or {@code budget} requests were taken.
     *
     * @return the budget left, or -1 if a request was malformed or the queue stopped
     */
    private int drain(SplitVirtqueue q, Binding b, int budget) {
        for (VirtqueueElement e; budget > 0 && serving(b) && (e = q.pop()) != null; ) {
            budget--;
            counters.request();
            int result = handler.handle(e);
            counters.inFlight(handler.inFlight());
            if (result == VirtioBlkRequestHandler.DEVICE_ERROR) {
                fail();
                return -1;
            }
        }
        return serving(b) ? budget : -1;
    }

    /**
     * Only the home thread, from the handler right after a push: publish now, interrupt at the
     * end of the kick handler if it is running, else from the BH. The binding is the one of
     * this thread: completions come in the context that submitted them, which stays bound
     * until they are all in.
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
            attachment.current().interrupt.schedule(); // once per burst: repeated schedules before it runs merge
        }
    }

    /** Only the home thread: the interrupt decision, from the BH, the kick handler's end, or a detach. */
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

    /** The home thread (or a detach giving up): stop this queue and tell the device, which raises NEEDS_RESET. */
    private void fail() {
        running = false;
        failed = true;
        onDeviceError.run();
    }

    /**
     * Releases the notifier and the BH, if the queue is attached. The queue must be quiesced first.
     *
     * <p>Thread-safety: the device's configuration thread; never blocks.
     */
    void close() {
        running = false;
        attachment.close();
    }

    /**
     * The request state as the binding's life-cycle sees it ({@link BlkQueueAttachment.Served}).
     * Allocated once, in the constructor.
     *
     * <p>Thread-safety: as {@link BlkQueueAttachment.Served} states per method.
     */
    private final class ServedQueue implements BlkQueueAttachment.Served {

        @Override
        public void onKick(Binding b) {
            BlkQueue.this.onKick(b);
        }

        @Override
        public void onSourceKick(Binding b) {
            counters.kick();
            BlkQueue.this.onKick(b);
        }

        @Override
        public void sendInterrupt() {
            BlkQueue.this.sendInterrupt();
        }

        @Override
        public int inFlight() {
            return BlkQueue.inFlight(handler);
        }

        @Override
        public void park() {
            parked = ringPosition();
        }

        @Override
        public void parkGivenUp() {
            parked = new RingPosition(parked.size(), parked.availIdx(), parked.usedIdx(), parked.lastAvailIdx(), 0);
        }

        @Override
        public boolean orphan() {
            VirtioBlkRequestHandler h = handler; // written by start, which detach is serialised with
            if (h == null) {
                return false;
            }
            h.orphan();
            return true;
        }

        @Override
        public void fail() {
            BlkQueue.this.fail();
        }

        @Override
        public void serveFrom(AioContext context) {
            VirtioBlkRequestHandler h = handler;
            if (h != null) {
                h.backend(backend.forContext(context));
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
