package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.PendingBottomHalf;

/**
 * The lock-free, O(1) BH scheduler of QEMU's 2020 "make aio_bh_poll() O(1)" design.
 *
 * <p>A schedule sets flags with one or-operation and, only if the BH was not already
 * PENDING, pushes it with a CAS onto the multi-producer {@code incoming} list (the home
 * thread links its own BHs on a list of its own, without the CAS). A poll takes both lists,
 * the incoming one with one exchange, into a <em>slice</em> and appends the slice to a queue
 * of slices; it then runs BHs from the head slice until the queue is empty. A callback that
 * polls again (nesting) appends its own slice behind and so finishes the outer slices
 * first: every BH runs once. BHs scheduled during callbacks land on the lists, hence in the
 * next poll. Within a slice the order is LIFO, as in QEMU. While other threads hand BHs over
 * in a stream, a poll that follows a small take waits a moment first, so that they are taken
 * in batches (see {@link #gather}). A poll that is not nested, the common case, runs its
 * take as the queue's only slice with a loop of its own; if the take is one BH the home
 * thread scheduled, it runs it without a slice, as nothing of the take is left for a nested
 * poll.
 *
 * <p>A BH that is created and never scheduled is on no list: the scheduler does not know
 * it exists, and the garbage collector may take it.
 *
 * <p>Thread-safety: {@link #enqueue}, {@link #delete} and {@link #create} from any thread,
 * lock-free; everything else only in the home thread. Correct for a single consumer: the
 * context guarantees that only its home thread polls.
 */
final class SlicedScheduler extends IncomingHead implements BhScheduler {

    static final String NAME = "sliced";

    /** How many run oneshots are kept for reuse: enough for a burst, little memory. */
    private static final int SPARE_ONESHOTS = 64;
    /** A take of fewer BHs than this from the incoming list makes the next poll gather first. */
    private static final int SMALL_TAKE = 64;
    /** How long a poll lets pushes gather after a small take: a few trips of a line between cores. */
    private static final long GATHER_NANOS = 250;
    private static final VarHandle INCOMING;
    private static final VarHandle LOCAL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            INCOMING = lookup.findVarHandle(IncomingHead.class, "incoming", BottomHalfImpl.class);
            LOCAL = lookup.findVarHandle(SlicedScheduler.class, "local", BottomHalfImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Ends the incoming list for good once the scheduler is closed: a push that sees it fails. */
    private final BottomHalfImpl closedMarker =
            new BottomHalfImpl("<closed>", () -> { }, "", 0, this, null);

    // The head of the incoming list is IncomingHead.incoming. These longs, laid out first,
    // keep the fields below off its cache line pair.
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    /**
     * BHs scheduled by the home thread since the last poll, newest first: the home thread is
     * the only writer and the only reader, so it links them with plain writes instead of a
     * CAS on {@link #incoming}. Written with release and read with acquire only so that a
     * close from another thread, once no thread polls (the context's rule), sees the list.
     */
    @SuppressWarnings("unused")
    private BottomHalfImpl local;

    /**
     * Oneshots that have run, kept for the home thread's next ones, so that a steady stream of
     * oneshots allocates nothing. Home thread only (the poll that ran them, and create()).
     */
    private final BottomHalfImpl[] spareOneshots = new BottomHalfImpl[SPARE_ONESHOTS];
    private int spareCount;
    /**
     * Spares below this index have let their callbacks go ({@link #releaseSpares}); those at
     * or above it, up to {@link #spareCount}, may still hold one. It keeps the release before
     * each sleep to the spares pushed since the last. Home thread only.
     */
    private int heldFrom;

    /** Whether the last poll's take of the incoming list found BHs. Home thread only. */
    private boolean lastTakeFoundBhs;

    /**
     * How many BHs the last poll that was not nested took from the incoming list and ran, 0
     * once the next poll has read it. Home thread only.
     */
    private int lastTakeSize;

    /** The slice queue: entries [sliceHead, sliceTail) are live. Home thread only. */
    private Slice[] slices = newSlices(4);
    private int sliceHead;
    private int sliceTail;

    /**
     * Calls of {@link #runSlices} in progress (nested polls), and the most seen. Not the
     * length of the slice queue: a nested poll empties the queue while the outer callback
     * still runs. Home thread only.
     */
    private int depth;
    private int maxDepth;

    /**
     * One poll's take: what other threads pushed, then what the home thread linked, each
     * newest first. The two stay apart because they are unlinked differently (see
     * {@link #runSlices}). Home thread only.
     */
    private static final class Slice {
        BottomHalfImpl remote;
        BottomHalfImpl local;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BottomHalfImpl create(String name, Runnable callback, String owner, int initialFlags,
            AioContextImpl context) {
        if (initialFlags == 0) {
            return new BottomHalfImpl(name, callback, owner, 0, this, context);
        }
        // A oneshot: nobody else can see it yet, so its flags are set as it is made and only
        // the link publishes it (the CAS of push(), or the home thread's own list).
        int flags = initialFlags | BhFlags.PENDING;
        if (context != null && context.inContextThread()) {
            if (isClosed()) {
                throw closed();
            }
            // The home thread reuses the oneshots it has run: none was ever handed out.
            BottomHalfImpl bh;
            if (spareCount > 0) {
                // The slot keeps its reference: the BH is live anyway, and the push back
                // overwrites it, which saves a store with its write barrier per oneshot.
                bh = spareOneshots[--spareCount];
                bh.reuse(name, callback, owner, flags);
            } else {
                bh = new BottomHalfImpl(name, callback, owner, flags, this, context);
            }
            bh.next = (BottomHalfImpl) LOCAL.get(this);
            LOCAL.setRelease(this, bh);
            return bh;
        }
        BottomHalfImpl bh = new BottomHalfImpl(name, callback, owner, flags, this, context);
        if (!push(bh)) {
            throw closed();
        }
        return bh;
    }

    @Override
    public int enqueue(BottomHalfImpl bh, int newFlags) {
        // No check of the closed state first: push() finds the closed marker, and a BH left
        // PENDING by a failed push makes every later schedule take the isClosed() branch.
        // Pairs with the and-operation in runSlices(): either that dequeue sees our bits
        // (and the callback sees every write made before this call), or PENDING was
        // already clear and we push the BH again.
        int old = bh.orFlags(BhFlags.PENDING | newFlags);
        if ((old & BhFlags.PENDING) == 0) {
            if (!push(bh)) {
                throw closed();
            }
        } else if (isClosed()) {
            // Merged with a pending schedule while the scheduler closed: it may run in
            // the last round, but this caller cannot be promised that.
            throw closed();
        }
        return old;
    }

    @Override
    public int enqueueFromHome(BottomHalfImpl bh, int newFlags) {
        // The same or-operation as enqueue(): other threads may schedule this BH meanwhile,
        // and exactly one of us sees PENDING clear and links it.
        int old = bh.orFlags(BhFlags.PENDING | newFlags);
        if (isClosed()) {
            // A BH left PENDING here is never linked; after close nothing is run anyway.
            throw closed();
        }
        if ((old & BhFlags.PENDING) == 0) {
            bh.next = (BottomHalfImpl) LOCAL.get(this);
            LOCAL.setRelease(this, bh);
        }
        return old;
    }

    @Override
    public void delete(BottomHalfImpl bh) {
        int old = bh.orFlags(BhFlags.PENDING | BhFlags.DELETED);
        if ((old & (BhFlags.PENDING | BhFlags.DELETED)) == 0) {
            // Push so the next poll forgets it; after close there is nothing to forget.
            push(bh);
        }
    }

    /**
     * CAS push at the head of incoming. Any thread.
     *
     * @return false if the scheduler is closed
     */
    private boolean push(BottomHalfImpl bh) {
        for (;;) {
            BottomHalfImpl head = (BottomHalfImpl) INCOMING.getVolatile(this);
            if (head == closedMarker) {
                return false;
            }
            // Plain write, published by the CAS below; the poll's exchange acquires it.
            bh.next = head;
            if (INCOMING.compareAndSet(this, head, bh)) {
                return true;
            }
        }
    }

    private boolean isClosed() {
        return INCOMING.getVolatile(this) == closedMarker;
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("context is closed");
    }

    @Override
    public boolean runScheduled(LoopCounters counters) {
        // A stream from other threads arriving in small takes: let it gather first.
        int lastTake = lastTakeSize;
        if (lastTake != 0) {
            lastTakeSize = 0;
            if (lastTake < SMALL_TAKE) {
                gather();
            }
        }
        // An idle poll costs a read, not an exchange: a push that comes after the read is
        // taken by the next poll, as one after the exchange would be. But while other threads
        // keep pushing, the list is rarely empty when polled, and the read only costs a second
        // trip of the head's line between the cores (it fetches the line to share, the
        // exchange then to own); so after a take that found BHs the next poll exchanges at once.
        BottomHalfImpl local = takeLocal();
        BottomHalfImpl remote = null;
        if (lastTakeFoundBhs || INCOMING.getVolatile(this) != null) {
            // Pairs with the CAS in push(): we see every BH pushed before, with its next links.
            remote = (BottomHalfImpl) INCOMING.getAndSet(this, (BottomHalfImpl) null);
        }
        lastTakeFoundBhs = remote != null;
        if (remote == null && local == null) {
            // Nothing new; a slice an outer poll left (a nested poll) is run all the same.
            return sliceHead != sliceTail && runCounted(counters);
        }
        if (sliceTail == 0) {
            // One BH, linked by the home thread: while it is PENDING there, no other thread
            // writes its link.
            if (remote == null && local.next == null) {
                return runAlone(local, counters);
            }
            return runOnlySlice(remote, local, counters);
        }
        appendSlice(remote, local);
        return runCounted(counters);
    }

    /**
     * Waits {@link #GATHER_NANOS}, reading no line another thread writes, so that the BHs
     * other threads push meanwhile are taken together. Called by a poll whose previous take
     * from the incoming list was small, i.e. while other threads hand BHs over faster than
     * the loop needs to run them. Each take costs both sides a trip of the head's line: the
     * exchange fetches it, and the next push waits to fetch it back. A loop that took again at
     * once would take a stream one or two BHs at a time, paying those trips for nearly every
     * BH, and slow the pushes down with them. The wait delays a BH pushed during it by no more
     * than {@link #GATHER_NANOS} and a clock read, and only while a stream lasts: a take that
     * finds nothing ends the gathering. Home thread.
     */
    private static void gather() {
        long start = System.nanoTime();
        do {
            Thread.onSpinWait();
        } while (System.nanoTime() - start < GATHER_NANOS);
    }

    /** Takes the home thread's list, or null if it is empty. Home thread. */
    private BottomHalfImpl takeLocal() {
        BottomHalfImpl first = (BottomHalfImpl) LOCAL.getAcquire(this);
        if (first != null) {
            LOCAL.setRelease(this, null);
        }
        return first;
    }

    @Override
    public void closeAndRunLast(LoopCounters counters) {
        BottomHalfImpl last = (BottomHalfImpl) INCOMING.getAndSet(this, closedMarker);
        if (last == closedMarker) {
            return;
        }
        appendSlice(last, takeLocal());
        // A failing callback leaves the rest of its slice queued for the next round.
        BhScheduler.runDespiteFailures(() -> runCounted(counters), 1);
    }

    private void appendSlice(BottomHalfImpl remote, BottomHalfImpl local) {
        if (sliceTail == slices.length) {
            // Only when nesting is deeper than ever before: not steady state.
            Slice[] grown = Arrays.copyOf(slices, slices.length * 2);
            for (int i = slices.length; i < grown.length; i++) {
                grown[i] = new Slice();
            }
            slices = grown;
        }
        Slice slice = slices[sliceTail++];
        slice.remote = remote;
        slice.local = local;
    }

    /** Runs the slices, counting this call in the depth while it runs. Home thread. */
    private boolean runCounted(LoopCounters counters) {
        enter();
        try {
            return runSlices(counters);
        } finally {
            depth--;
        }
    }

    /** Runs BHs from the head slice until the queue is empty. Re-entered by nested polls. */
    private boolean runSlices(LoopCounters counters) {
        boolean progress = false;
        while (sliceHead < sliceTail) {
            Slice slice = slices[sliceHead];
            BottomHalfImpl bh = slice.remote;
            if (bh != null) {
                // Another thread pushed it and wrote its line last: take the link with an
                // exchange, which fetches the line for the and-operation below too.
                slice.remote = bh.takeNext();
            } else {
                // The home thread linked it: its line is most likely here already.
                bh = slice.local;
                if (bh == null) {
                    sliceHead++;
                    continue;
                }
                slice.local = bh.next;
                bh.next = null;
            }
            progress |= runTaken(bh, counters);
        }
        sliceHead = 0;
        sliceTail = 0;
        return progress;
    }

    /**
     * Runs this poll's take when no outer poll left a slice: the common case, a poll that is
     * not nested. The take is the queue's only slice, in slot 0, and its rest stays there
     * while a callback runs, for a nested poll to run first. What a nested poll leaves behind
     * (only a callback that catches a nested poll's failure lets one return early) is run
     * by {@link #runSlices}. The two loops repeat runSlices' unlink step on purpose: one
     * shared step that looks at both lists for every BH measured slower on this path. Home
     * thread.
     */
    private boolean runOnlySlice(BottomHalfImpl remote, BottomHalfImpl local, LoopCounters counters) {
        Slice slice = slices[0];
        slice.local = local;
        sliceTail = 1;
        enter();
        try {
            boolean progress = false;
            int taken = 0;
            BottomHalfImpl bh = remote;
            while (bh != null) {
                taken++;
                // As in runSlices(): the exchange fetches the line another thread wrote last.
                slice.remote = bh.takeNext();
                progress |= runTaken(bh, counters);
                // A nested poll in the callback changed the queue: it ran this slice, or a
                // failure the callback caught left slices behind. The general loop takes over.
                if (sliceHead != 0 || sliceTail != 1) {
                    return runSlices(counters) | progress;
                }
                bh = slice.remote;
            }
            for (bh = slice.local; bh != null; bh = slice.local) {
                slice.local = bh.next;
                bh.next = null;
                progress |= runTaken(bh, counters);
                if (sliceHead != 0 || sliceTail != 1) {
                    return runSlices(counters) | progress;
                }
            }
            sliceTail = 0;
            // Recorded only here, once the take has run: a nested poll in one of its callbacks
            // does not gather.
            lastTakeSize = taken;
            return progress;
        } finally {
            depth--;
        }
    }

    /**
     * Runs a take of one BH when no outer poll left a slice: nothing of the take is left for
     * a nested poll to run first, so it needs no slice, and the home thread's schedule-and-poll
     * pays none of the slice's stores and loads. What a nested poll leaves behind (see
     * {@link #runOnlySlice}) is run by {@link #runSlices}, in this poll as there. Only for a
     * BH from the home thread's list: one from the incoming list is unlinked with an exchange
     * before it is known to be alone. Home thread.
     */
    private boolean runAlone(BottomHalfImpl bh, LoopCounters counters) {
        enter();
        try {
            boolean progress = runTaken(bh, counters);
            return sliceTail != 0 ? runSlices(counters) | progress : progress;
        } finally {
            depth--;
        }
    }

    /** Counts a call of the slice loop in the depth. Home thread. */
    private void enter() {
        if (++depth > maxDepth) {
            maxDepth = depth;
        }
    }

    /**
     * Clears a BH just unlinked, runs it unless it was cancelled or deleted, and keeps a run
     * oneshot for reuse. Home thread.
     *
     * @return whether it ran and was not idle
     */
    private boolean runTaken(BottomHalfImpl bh, LoopCounters counters) {
        boolean progress = false;
        // Pairs with the or-operation in enqueue(): the caller's unlink happens before
        // PENDING is cleared, so a producer that sees it clear may push the BH again.
        // A oneshot has no producer after its link: no caller holds it, so nobody else
        // reads or writes its flags, and they need no clearing (they are set anew when
        // it is reused, see create()). That saves a locked instruction per oneshot.
        // The plain read costs no extra cache miss: the caller's unlink brought the line.
        int taken = bh.flagsTaken();
        int old = (taken & BhFlags.ONESHOT) != 0 ? taken : bh.clearFlags(BhFlags.CLEARED_ON_DEQUEUE);
        counters.bhDequeued++;
        if (BhFlags.shouldRun(old)) {
            progress = (old & BhFlags.IDLE) == 0;
            counters.bhRuns++;
            bh.run();
        }
        if ((old & BhFlags.ONESHOT) != 0 && spareCount < SPARE_ONESHOTS) {
            // Done with for good: nothing else ever held it (see create()). It keeps its
            // callback until releaseSpares(): nulling it here and storing the next one
            // costs two reference stores with the collector's barriers per oneshot, and
            // a caller that reuses its task would store the same callback again.
            // Mostly the slot it was taken from holds it still (see create()).
            if (spareOneshots[spareCount] != bh) {
                spareOneshots[spareCount] = bh;
            }
            heldFrom = Math.min(heldFrom, spareCount);
            spareCount++;
        }
        return progress;
    }

    @Override
    public void releaseSpares() {
        for (int i = heldFrom; i < spareCount; i++) {
            spareOneshots[i].release();
        }
        heldFrom = spareCount;
    }

    @Override
    public int readiness() {
        int readiness = Math.max(scan((BottomHalfImpl) INCOMING.getAcquire(this)),
                scan((BottomHalfImpl) LOCAL.getAcquire(this)));
        for (int i = sliceHead; i < sliceTail && readiness != READY; i++) {
            readiness = Math.max(readiness, Math.max(scan(slices[i].remote), scan(slices[i].local)));
        }
        return readiness;
    }

    /** Walks one list; nodes behind the head never change while we are the consumer. */
    private int scan(BottomHalfImpl first) {
        return BhScheduler.readinessOf(first, closedMarker);
    }

    @Override
    public void collectPending(List<PendingBottomHalf> out) {
        collect((BottomHalfImpl) LOCAL.getAcquire(this), BhQueue.INCOMING, 0, out);
        collect((BottomHalfImpl) INCOMING.getAcquire(this), BhQueue.INCOMING, 0, out);
        for (int i = sliceHead; i < sliceTail; i++) {
            collect(slices[i].remote, BhQueue.SLICE, i - sliceHead + 1, out);
            collect(slices[i].local, BhQueue.SLICE, i - sliceHead + 1, out);
        }
    }

    private void collect(BottomHalfImpl bh, BhQueue queue, int slice, List<PendingBottomHalf> out) {
        for (; bh != null && bh != closedMarker; bh = bh.next) {
            out.add(new PendingBottomHalf(bh.name(), BhFlags.toSet(bh.flags()), queue, slice, bh.owner()));
        }
    }

    @Override
    public long created() {
        return -1;
    }

    @Override
    public int sliceDepth() {
        return depth;
    }

    @Override
    public int maxSliceDepth() {
        return maxDepth;
    }

    private static Slice[] newSlices(int n) {
        Slice[] slices = new Slice[n];
        for (int i = 0; i < n; i++) {
            slices[i] = new Slice();
        }
        return slices;
    }
}
