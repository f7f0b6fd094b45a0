package org.hvkit.benchmarks.aio;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link AioContext#snapshot()} costs, the call behind {@code aio:watch <ctx> 1s}.
 *
 * <p>{@link #homeThread}: the benchmark thread is the context's home thread, so
 * {@code snapshot()} builds the snapshot at once: the time the loop is taken from its work
 * for each snapshot, and what it allocates ({@code -prof gc}). {@code pending} BHs are
 * scheduled in the setup and never run (nothing polls), so every snapshot lists them;
 * {@code idle} more BHs exist and are never scheduled, by default the seed's 3170
 * (2 × 1 + 99 × 32 queues). The linear scheduler walks all of them for each snapshot (pending
 * ones and the count of created ones); the sliced one visits only the pending.
 *
 * <p>{@link #crossThread}: a real IOThread runs the context with {@code idle} BHs and the
 * benchmark thread calls {@code snapshot()}, as the Gogo command does: the round trip an
 * operator sees (a oneshot BH, a wake-up when the loop sleeps, the snapshot, the answer).
 * {@code pollMaxNs=0} makes the loop sleep between snapshots, as an idle guest's loop does at
 * one snapshot a second; with the default window back-to-back snapshots find it polling.
 * At the end of each trial it prints the loop thread's CPU time per snapshot (warm-up
 * included): all the loop pays for a remote snapshot, the wake-up and the answer included.
 * {@code -prof gc} counts the IOThread's allocation too. Pending BHs would run at once in
 * a live loop, so this half has none.
 *
 * <p>Thread-safety: one benchmark thread; for {@link #homeThread} the trial setup runs in it
 * and makes it the context's home thread; for {@link #crossThread} the IOThread is the home.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SnapshotCostBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Runnable NEVER = () -> {
        throw new AssertionError("a BH of the snapshot benchmark ran");
    };

    /** A context this thread is home of, with pending and idle BHs that never run. */
    @State(Scope.Thread)
    public static class Home {

        @Param({"sliced", "linear"})
        String scheduler;

        /** BHs scheduled and not yet run: the snapshot lists each. */
        @Param({"0", "10", "1000"})
        int pending;

        /** BHs created and never scheduled, besides the pending ones. */
        @Param({"3170"})
        int idle;

        AioContext ctx;
        private final List<BottomHalf> idleBhs = new ArrayList<>();
        private final List<BottomHalf> pendingBhs = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            ctx = Contexts.createHere("bench-snapshot", scheduler);
            for (int i = 0; i < idle; i++) {
                idleBhs.add(ctx.newBottomHalf("idle", NEVER));
            }
            for (int i = 0; i < pending; i++) {
                BottomHalf bh = ctx.newBottomHalf("pending", NEVER);
                bh.schedule();
                pendingBhs.add(bh);
            }
            check(ctx.snapshot());
        }

        private void check(ContextSnapshot s) {
            if (s.pendingBottomHalves().size() != pending) {
                throw new AssertionError("the snapshot lists " + s.pendingBottomHalves().size()
                        + " pending BHs, not " + pending);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            check(ctx.snapshot()); // still pending: nothing ran them between snapshots
            // close() runs what is still scheduled one last time: cancel first.
            pendingBhs.forEach(BottomHalf::cancel);
            pendingBhs.clear();
            idleBhs.clear();
            ctx.close();
        }
    }

    /** A context run by its own IOThread, with idle BHs. */
    @State(Scope.Thread)
    public static class Remote {

        @Param({"sliced", "linear"})
        String scheduler;

        /** BHs created and never scheduled. */
        @Param({"3170"})
        int idle;

        /** The IOThread's poll.max.ns: 0 sleeps at once, the default polls up to 32 µs first. */
        @Param({"0", "" + BenchmarkIoThread.DEFAULT_POLL_MAX_NS})
        long pollMaxNs;

        AioContext ctx;
        private BenchmarkIoThread ioThread;
        private final List<BottomHalf> bhs = new ArrayList<>();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long loopThreadId;
        private long cpuBefore;
        private ContextCounters before;
        /** Snapshots taken by the benchmark method, warm-up included. */
        long snapshots;

        @Setup(Level.Trial)
        public void setUp() {
            ioThread = new BenchmarkIoThread("bench-snapshot", scheduler, pollMaxNs);
            ctx = ioThread.context();
            for (int i = 0; i < idle; i++) {
                bhs.add(ctx.newBottomHalf("idle", NEVER));
            }
            loopThreadId = ctx.call(() -> Thread.currentThread().getId(), TIMEOUT);
            cpuBefore = threads.getThreadCpuTime(loopThreadId);
            before = ctx.snapshot().counters();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long cpu = threads.getThreadCpuTime(loopThreadId) - cpuBefore;
            ContextCounters c = ctx.snapshot().counters();
            double n = Math.max(1, snapshots);
            System.out.printf("%nLoop thread over %d snapshots: CPU %.0f ns/snapshot; per snapshot: %.3f blocking"
                    + " waits, %.3f wake-up syscalls, %.3f polling hits, %.3f polls%n", snapshots, cpu / n,
                    (c.blockingWaits() - before.blockingWaits()) / n, (c.wakeUpsSent() - before.wakeUpsSent()) / n,
                    (c.pollingHits() - before.pollingHits()) / n, (c.polls() - before.polls()) / n);
            bhs.clear();
            ioThread.close();
        }
    }

    @Benchmark
    public ContextSnapshot homeThread(Home s) {
        return s.ctx.snapshot();
    }

    @Benchmark
    public ContextSnapshot crossThread(Remote s) {
        s.snapshots++;
        return s.ctx.snapshot();
    }
}
