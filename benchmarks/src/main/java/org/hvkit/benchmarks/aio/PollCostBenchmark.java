package org.hvkit.benchmarks.aio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
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
 * What one {@code poll(false)} costs with one BH scheduled while {@code idle} other BHs exist
 * but are never scheduled: the O(1) claim of the sliced scheduler (cost independent of
 * {@code idle}) against the linear baseline (every poll walks every BH).
 *
 * <p>The idle BHs stay strongly referenced, as a device's BHs would be; the sliced scheduler
 * does not know they exist either way.
 *
 * <p>Thread-safety: one benchmark thread; the trial setup runs in it and makes it the
 * context's home thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PollCostBenchmark {

    @Param({"sliced", "linear"})
    String scheduler;

    @Param({"0", "100", "3170", "10000", "100000"})
    int idle;

    private AioContext ctx;
    private BottomHalf bh;
    private final List<BottomHalf> idleBhs = new ArrayList<>();
    private long runs;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = Contexts.createHere("bench-poll-cost", scheduler);
        bh = ctx.newBottomHalf("bench", this::run);
        Runnable never = () -> {
            throw new AssertionError("an idle BH ran");
        };
        for (int i = 0; i < idle; i++) {
            idleBhs.add(ctx.newBottomHalf("idle", never));
        }
    }

    private void run() {
        runs++;
    }

    @Benchmark
    public boolean schedulePoll() {
        bh.schedule();
        return ctx.poll(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (runs == 0) {
            throw new AssertionError("the scheduled BH never ran");
        }
        idleBhs.clear();
        ctx.close();
    }
}
