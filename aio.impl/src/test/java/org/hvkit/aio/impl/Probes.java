package org.hvkit.aio.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelHandler;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.EventNotifier;

/**
 * Callbacks that record what the loop did, for the contract tests.
 *
 * <p>Thread-safety: unless a field says otherwise, only the home thread touches a probe,
 * so the tests read plain fields after a poll.
 */
final class Probes {

    private Probes() {
    }

    /** Counts its runs. */
    static final class Runs implements Runnable {
        int count;

        @Override
        public void run() {
            count++;
        }
    }

    /** Records callback names in the order the loop runs them. */
    static final class RunLog {
        final List<String> order = new ArrayList<>();

        Runnable entry(String name) {
            return () -> order.add(name);
        }
    }

    /**
     * A BH that reschedules itself until it has run {@code max} times and then, if asked,
     * deletes itself (the facts of QEMU's {@code bh_test_cb} and {@code bh_delete_cb}).
     */
    static final class BhLoop implements Runnable {
        final BottomHalf bh;
        final int max;
        final boolean deleteAtMax;
        int runs;

        private BhLoop(AioContext ctx, String name, int max, boolean deleteAtMax) {
            this.max = max;
            this.deleteAtMax = deleteAtMax;
            this.bh = ctx.newBottomHalf(name, this);
        }

        static BhLoop rescheduling(AioContext ctx, String name, int max) {
            return new BhLoop(ctx, name, max, false);
        }

        static BhLoop deleting(AioContext ctx, String name, int max) {
            return new BhLoop(ctx, name, max, true);
        }

        @Override
        public void run() {
            runs++;
            if (runs < max) {
                bh.schedule();
            } else if (deleteAtMax) {
                bh.delete();
            }
        }
    }

    /**
     * An event-notifier handler with the facts of QEMU's {@code event_ready_cb}: counts its
     * runs, counts {@code active} down, and sets the notifier again while {@code autoSet}
     * and still active. A clearing handler fails the poll if it runs while not set.
     */
    static final class NotifierProbe implements Runnable {
        final EventNotifier notifier;
        final boolean autoSet;
        final boolean clears;
        int active;
        int runs;

        private NotifierProbe(AioContext ctx, String name, int active, boolean autoSet, boolean clears) {
            this.active = active;
            this.autoSet = autoSet;
            this.clears = clears;
            this.notifier = ctx.newEventNotifier(name, this);
        }

        static NotifierProbe clearing(AioContext ctx, String name) {
            return new NotifierProbe(ctx, name, 0, false, true);
        }

        static NotifierProbe selfSetting(AioContext ctx, String name, int active) {
            return new NotifierProbe(ctx, name, active, true, true);
        }

        static NotifierProbe notClearing(AioContext ctx, String name) {
            return new NotifierProbe(ctx, name, 0, false, false);
        }

        @Override
        public void run() {
            if (clears && !notifier.testAndClear()) {
                throw new AssertionError("handler of " + notifier.name() + " ran while it was not set");
            }
            runs++;
            if (active > 0) {
                active--;
            }
            if (autoSet && active > 0) {
                notifier.set();
            }
        }
    }

    /** A timer that re-arms itself from its callback until it has fired {@code max} times. */
    static final class TimerLoop implements Runnable {
        final AioTimer timer;
        final long periodNanos;
        final int max;
        int fired;

        TimerLoop(AioContext ctx, ClockType clock, long periodNanos, int max) {
            this.periodNanos = periodNanos;
            this.max = max;
            this.timer = ctx.newTimer(clock, "periodic", this);
        }

        @Override
        public void run() {
            fired++;
            if (fired < max) {
                timer.modRelativeNanos(periodNanos);
            }
        }
    }

    /** The completion of blocking work: what it was called with, where, how often. */
    static final class Done<T> implements BiConsumer<T, Throwable> {
        volatile int calls;
        volatile T result;
        volatile Throwable failure;
        volatile Thread thread;

        @Override
        public void accept(T value, Throwable error) {
            result = value;
            failure = error;
            thread = Thread.currentThread();
            calls++;
        }

        boolean called() {
            return calls > 0;
        }
    }

    /** A pipe whose source is watched by a channel handler that drains it and counts its runs. */
    static final class PipeProbe implements ChannelHandler, AutoCloseable {
        final Pipe pipe;
        int runs;
        int lastReadyOps;
        ChannelRegistration lastRegistration;

        PipeProbe() throws IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        }

        Pipe.SourceChannel source() {
            return pipe.source();
        }

        /** Any thread: writes one byte to the sink. */
        void write() {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void ready(ChannelRegistration registration, int readyOps) {
            runs++;
            lastReadyOps = readyOps;
            lastRegistration = registration;
            drain();
        }

        private void drain() {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            try {
                while (pipe.source().read(buffer.clear()) > 0) {
                    // keep reading until the pipe is empty
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
