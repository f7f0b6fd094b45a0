package org.hvkit.benchmarks.aio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.monitor.ContextCounters;

/**
 * The hand-over of the design's BH contract and nothing else: what any loop that keeps that
 * contract pays per callback, measured beside the IOThread and the peers in
 * {@link CrossThreadBenchmark}. A hand-over sets PENDING on the task's flag word with an
 * or-operation and, if it was clear, pushes the task with a CAS on a list head of its own cache
 * lines. The loop takes the list with an exchange, unlinks each task with an exchange of its
 * link, clears PENDING with an and-operation and runs the task; after a take of fewer than 64
 * tasks it waits 250 ns before the next, as the sliced IOThread does. There is no context: no
 * wake-up (the loop thread spins), no counters, no timers or notifiers, no nesting.
 *
 * <p>Thread-safety: {@link #submit} from the one producer thread; the tasks run in the loop
 * thread; {@link #close} from the producer thread.
 */
final class ProtocolFloorTarget implements CrossThreadTargets.Target {

    private static final int PENDING = 1;
    private static final int SMALL_TAKE = 64;
    private static final long GATHER_NANOS = 250;
    private static final VarHandle FLAGS;
    private static final VarHandle NEXT;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FLAGS = lookup.findVarHandle(Task.class, "flags", int.class);
            NEXT = lookup.findVarHandle(Task.class, "next", Task.class);
            HEAD = lookup.findVarHandle(HeadField.class, "first", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A task: its flag word and its link, written by both threads, as a BH's. */
    private static final class Task {
        @SuppressWarnings("unused")
        private volatile int flags;
        private Task next;
        private final Runnable work;

        Task(Runnable work) {
            this.work = work;
        }
    }

    /** 128 bytes before the head. */
    @SuppressWarnings("unused")
    private abstract static class HeadPadding {
        private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
    }

    /** The incoming list's head, written by the producer's CAS and the loop's exchange. */
    private abstract static class HeadField extends HeadPadding {
        volatile Task first;
    }

    /**
     * 128 bytes after the head: a class's fields are laid out after its superclass's, so these
     * longs cannot be placed before the head, as longs declared beside it would be.
     */
    @SuppressWarnings("unused")
    private static final class Head extends HeadField {
        private long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
    }

    private final Task[] tasks;
    private final Head head = new Head();
    private final Thread loop;
    private volatile boolean stopped;

    ProtocolFloorTarget(int tasks, Runnable work) {
        this.tasks = new Task[tasks];
        for (int i = 0; i < tasks; i++) {
            this.tasks[i] = new Task(work);
        }
        loop = new Thread(this::runLoop, "bench-protocol-floor");
        loop.setDaemon(true);
        loop.start();
    }

    @Override
    public void submit(int task) {
        Task t = tasks[task];
        if (((int) FLAGS.getAndBitwiseOr(t, PENDING) & PENDING) != 0) {
            return;
        }
        Task first;
        do {
            first = (Task) HEAD.getVolatile(head);
            t.next = first;
        } while (!HEAD.compareAndSet(head, first, t));
    }

    /** The loop thread: takes and runs until stopped. */
    private void runLoop() {
        int lastTake = 0;
        while (!stopped) {
            if (lastTake != 0 && lastTake < SMALL_TAKE) {
                long start = System.nanoTime();
                do {
                    Thread.onSpinWait();
                } while (System.nanoTime() - start < GATHER_NANOS);
            }
            // An empty list costs a read, not an exchange, as in the IOThread's idle poll.
            Task t = lastTake == 0 && HEAD.getVolatile(head) == null ? null : (Task) HEAD.getAndSet(head, (Task) null);
            lastTake = 0;
            while (t != null) {
                Task next = (Task) NEXT.getAndSet(t, (Task) null);
                FLAGS.getAndBitwiseAnd(t, ~PENDING);
                t.work.run();
                lastTake++;
                t = next;
            }
            if (lastTake == 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public ContextCounters counters() {
        return null;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (loop.isAlive()) {
            throw new IllegalStateException("the protocol floor's loop did not stop within 10 s");
        }
    }
}
