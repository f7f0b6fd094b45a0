package org.hvkit.block.virtio.blk;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.EventNotifier;
import org.hvkit.block.virtio.blk.BlkQueue.Attachment;

/**
 * The context binding of one {@link BlkQueue} and its hot-swap life-cycle (DESIGN §6).
 *
 * <p>The context-bound parts (kick notifier, interrupt BH) live in one {@link Binding}, the
 * unit a swap replaces, and the queue moves {@linkplain Attachment#ATTACHED ATTACHED} →
 * {@linkplain Attachment#DRAINING DRAINING} → {@linkplain Attachment#DETACHED DETACHED} →
 * ATTACHED: {@link #detach} stops popping, waits for the requests in flight (they complete in
 * the old context), raises the last interrupt and releases the binding there; {@link #attach}
 * builds a binding on the new context and looks at the ring from where the queue stopped.
 *
 * <p>The request state (virtqueue, handler, interrupt decision, the ring position a detached
 * queue shows) stays in the queue, which this class reaches through {@link Served} only. It is
 * device state and survives the swap.
 *
 * <p>Thread-safety: stated per method. The request path reads {@link #current()} (one volatile
 * read) and a binding's fields and state; nothing here on that path locks or allocates.
 */
final class BlkQueueAttachment {

    /** {@link Binding#state}: the binding's context serves the queue. */
    private static final int SERVING = 0;
    /** {@link Binding#state}: a detach is waiting for the requests in flight. */
    private static final int DRAINING = 1;
    /** {@link Binding#state}: the notifier is closed and the BH deleted. */
    private static final int CLOSED = 2;

    /** How long a timed-out detach waits for the old context to orphan the requests in flight. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(1);

    /**
     * What a binding and its life-cycle need from the queue's request state, which stays in
     * {@link BlkQueue}. Thread-safety: stated per method.
     */
    interface Served {

        /** The kick handler of binding {@code b}. Only the home thread of {@code b}. */
        void onKick(Binding b);

        /** A kick through the kick source's channel: counted, then {@link #onKick}. Only the home thread of {@code b}. */
        void onSourceKick(Binding b);

        /** The interrupt decision. Only the home thread: from the BH, or from a detach there. */
        void sendInterrupt();

        /** Requests the handler still waits for; orphaned ones do not count. Only the home thread. */
        int inFlight();

        /** Keeps the ring position for a detached queue's snapshots. Only the thread owning the request state. */
        void park();

        /**
         * The detaching thread, when the home thread does not answer, after {@link #orphan}: the
         * position parked before, with nothing in flight.
         */
        void parkGivenUp();

        /**
         * Gives up the requests in flight: their completions will write nothing to the rings.
         * The home thread, or the detaching thread when the home thread does not answer.
         *
         * @return false if the queue was never started: nothing can be in flight
         */
        boolean orphan();

        /** Stops the queue and tells the device (NEEDS_RESET). The home thread, or a detach giving up. */
        void fail();

        /** Gives the handler, if there is one, the backend's view for {@code context}. The attaching thread. */
        void serveFrom(AioContext context);

        /** True between start and a halt or quiesce. Any thread. */
        boolean isRunning();
    }

    private final int index;
    private final Served queue;

    /**
     * The current binding, or, while detached, the last one (CLOSED, kept for its context's
     * name). Volatile: {@link #attach} builds the new binding completely, gives the handler its
     * new backend, and only then writes this field; the new home thread reads it first in the
     * queue's kick handler ({@link Served#onKick}, pairs with that write), so it sees the
     * binding, the new backend, and, through the detach that preceded, every write the old home
     * thread made to the request state. The old binding is touched only by its own home thread
     * (and by a detach that gave up on that thread, see {@link #abandonFromAnyThread}).
     */
    private volatile Binding current;

    /**
     * Binds the queue to its first context.
     *
     * <p>Thread-safety: the queue's constructor.
     *
     * @param index the queue index, for the names of the notifier and the BH
     * @param context the context whose thread serves the queue
     * @param queue the queue's request state
     */
    BlkQueueAttachment(int index, AioContext context, Served queue) {
        this.index = index;
        this.queue = queue;
        this.current = new Binding(context);
    }

    /** The context-bound objects: the unit a hot swap replaces. */
    final class Binding {
        final AioContext context;
        final EventNotifier kick;
        final BottomHalf interrupt;
        /**
         * {@link #SERVING} → {@link #DRAINING} → {@link #CLOSED}, one way. Volatile: DRAINING
         * is written by the detaching thread and read by the handler between requests (pairs
         * with the read in {@link #isServing}); CLOSED is written by the home thread as it
         * closes the binding and read by kicks and snapshots from any thread.
         */
        private volatile int state;
        /** The kick source whose channel is registered here, and its registration. Only the home thread. */
        private KickSource watched;
        private ChannelRegistration watchedRegistration;

        private Binding(AioContext context) {
            this.context = context;
            this.kick = context.newEventNotifier("virtio-blk vq" + index + " kick", () -> queue.onKick(this));
            try {
                this.interrupt = context.newBottomHalf("virtio-blk vq" + index + " irq", queue::sendInterrupt);
            } catch (RuntimeException e) {
                kick.close();
                throw e;
            }
        }

        /**
         * Any thread: does this binding's context serve the queue? The handler reads it between
         * requests; the volatile read pairs with the write of DRAINING in
         * {@link BlkQueueAttachment#detach}.
         */
        boolean isServing() {
            return state == SERVING;
        }

        /** Any thread: are the notifier and the BH released, or being released? A volatile read. */
        boolean isClosed() {
            return state == CLOSED;
        }

        /**
         * Only the home thread: registers {@code source}'s channel in this binding's context,
         * in place of the one registered before; null unregisters. A kick through the channel
         * clears it and runs the queue's kick handler. A closed binding registers nothing.
         */
        void watch(KickSource source) {
            if (source == watched || state == CLOSED) {
                return;
            }
            unwatch();
            watched = source;
            if (source == null) {
                return;
            }
            try {
                watchedRegistration = context.registerChannel(source.channel(), SelectionKey.OP_READ,
                        (registration, ready) -> {
                            if (state == CLOSED) {
                                // Registered late, after a detach gave up on this thread and
                                // closed the binding: leave the kicks to the queue's current
                                // binding, which an attach made only after this state was set.
                                registration.close();
                                return;
                            }
                            source.clear();
                            queue.onSourceKick(this);
                        });
            } catch (IllegalArgumentException | IllegalStateException closed) {
                // The transport closed the source since it set it, or the context is closing:
                // its next source, or the next context, brings the next registration.
                watchedRegistration = null;
            }
        }

        private void unwatch() {
            ChannelRegistration r = watchedRegistration;
            if (r != null) {
                watchedRegistration = null;
                r.close();
            }
        }

        /**
         * Any thread, idempotent: every operation is allowed from any thread. Normally the home
         * thread; a detach that gave up on it calls this from its own thread, and a late
         * {@link #watch} in the home thread then finds the binding closed.
         */
        void close() {
            state = CLOSED;
            kick.close();
            interrupt.delete();
            unwatch();
        }
    }

    /** The current binding, or while detached the last one (see the field). Thread-safety: any thread. */
    Binding current() {
        return current;
    }

    /** Where the queue stands with respect to contexts. Thread-safety: any thread; never blocks. */
    Attachment attachment() {
        return switch (current.state) {
            case SERVING -> Attachment.ATTACHED;
            case DRAINING -> Attachment.DRAINING;
            default -> Attachment.DETACHED;
        };
    }

    /**
     * Detaches the queue from its context (DESIGN §6, step 1), as {@link BlkQueue#detach}
     * describes: no more pops, wait for the requests in flight, then in the old home thread the
     * last interrupt and the release of the binding; give the requests up after the timeout.
     *
     * <p>Thread-safety: any thread but the queue's home thread, while its context is still open
     * and polled, and not concurrently with {@link #attach}, the queue's start or its quiesce.
     * Blocks at most about {@code timeout} plus one second.
     *
     * @param timeout the longest wait for the requests in flight
     * @throws IllegalStateException if the queue is not attached, or on its home thread
     */
    void detach(Duration timeout) {
        Binding b = current;
        if (b.state != SERVING) {
            throw new IllegalStateException("queue " + index + " is not attached");
        }
        if (b.context.inContextThread()) {
            throw new IllegalStateException("queue " + index + " cannot drain from its own home thread");
        }
        b.state = DRAINING; // pairs with the read in isServing(): no pop after the handler sees it
        if (!drained(b, System.nanoTime() + timeout.toNanos())) {
            abandon(b);
        }
    }

    /** The detaching thread: true once the home thread closed {@code b} with nothing in flight. */
    private boolean drained(Binding b, long deadline) {
        try {
            while (b.context.call(() -> closeIfDrained(b), BlkQueue.remaining(deadline)) > 0) {
                if (System.nanoTime() - deadline >= 0 || !BlkQueue.pause()) {
                    return false;
                }
            }
            return true;
        } catch (ContextBusyException | IllegalStateException | CompletionException unanswered) {
            return b.state == CLOSED; // a late closeIfDrained may have finished the job
        }
    }

    /**
     * Only the home thread of {@code b}: the requests in flight, or, once there are none, the
     * last interrupt and the release of the binding, then 0. A call that ran late, after the
     * detach gave up, finds the binding closed and does nothing.
     */
    private int closeIfDrained(Binding b) {
        if (b.state == CLOSED) {
            return 0;
        }
        int n = queue.inFlight();
        if (n > 0) {
            return n;
        }
        if (b.interrupt.isScheduled()) {
            // Completions published since the last decision: decide now, the BH will not run.
            b.interrupt.cancel();
            queue.sendInterrupt();
        }
        queue.park();
        b.close(); // CLOSED, then the release: see BlkQueue.kick() for a kick that read the state before
        return 0;
    }

    /** The detaching thread, after the timeout: give up the requests in flight, in the home thread if it answers. */
    private void abandon(Binding b) {
        try {
            b.context.call(() -> abandonInHomeThread(b), ABANDON_GRACE);
        } catch (ContextBusyException | IllegalStateException | CompletionException unanswered) {
            abandonFromAnyThread(b);
        }
    }

    /** Only the home thread of {@code b}: orphan the requests, fail, close the binding. */
    private Void abandonInHomeThread(Binding b) {
        if (b.state == CLOSED) {
            return null; // closeIfDrained won in the end: nothing was lost
        }
        queue.orphan();
        b.interrupt.cancel();
        queue.park();
        queue.fail();
        b.close();
        return null;
    }

    /**
     * The detaching thread, when the old home thread does not answer: the same as
     * {@link #abandonInHomeThread} with the operations that are safe from any thread.
     */
    private void abandonFromAnyThread(Binding b) {
        if (b.state == CLOSED) {
            return;
        }
        if (!queue.orphan()) {
            b.close(); // never started: nothing can be in flight, nothing to give up
            return;
        }
        queue.parkGivenUp();
        queue.fail();
        b.close();
    }

    /**
     * Attaches a detached queue to a context (DESIGN §6, step 2), as {@link BlkQueue#attach}
     * describes: a new binding there, the handler's backend view for it, and one look at the
     * ring if the queue is running.
     *
     * <p>Thread-safety: any thread, not concurrently with {@link #detach}, the queue's start or
     * its quiesce; never blocks.
     *
     * @param context the new context, open
     * @throws IllegalStateException if the queue is not detached, or the context is closed
     */
    void attach(AioContext context) {
        if (current.state != CLOSED) {
            throw new IllegalStateException("queue " + index + " is not detached");
        }
        Binding fresh = new Binding(context); // fully built before anyone can see it
        queue.serveFrom(context);
        current = fresh; // publishes all of the above to the new home thread (see the field)
        if (queue.isRunning()) {
            fresh.kick.set();
        }
    }

    /**
     * Releases the notifier and the BH, if the queue is attached.
     *
     * <p>Thread-safety: the device's configuration thread, once the queue is quiesced; never blocks.
     */
    void close() {
        Binding b = current;
        if (b.state != CLOSED) {
            b.close();
        }
    }
}
