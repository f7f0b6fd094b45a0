package org.hvkit.benchmarks.aio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.BottomHalf;
import org.hvkit.benchmarks.Interleaving;
import org.hvkit.benchmarks.TrialFigures;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * {@link PollCostBenchmark}'s operation with one context per idle count alive in one trial and
 * served in turn for {@code sliceMillis} each ({@link Interleaving}): every count runs the same
 * compiled code under the same machine load, so the ratio of two counts is the cost of the idle
 * BHs alone. Separate trials differ by more than the O(1) target allows: each fork compiles
 * and lays out its code anew, and the load changes between them.
 *
 * <p>The teardown records {@code ns.idle=<N>} (nanoseconds per schedule + poll over that
 * context's slices, measurement iterations only); JMH's score is the mix.
 *
 * <p>Thread-safety: one benchmark thread; the trial setup runs in it and makes it every
 * context's home thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PollCostInterleavedBenchmark {

    /** The idle counts of {@link PollCostBenchmark}, one context each. */
    static final int[] IDLE = {0, 100, 3170, 10_000, 100_000};
    /**
     * Operations between two looks at the clock: a clock read is about one operation of the
     * sliced scheduler, and a linear poll over 100,000 BHs takes a fifth of a millisecond.
     */
    private static final int CHECK_EVERY = 64;

    @Param({"sliced", "linear"})
    String scheduler;

    @Param({"20"})
    long sliceMillis;

    private AioContext[] contexts;
    private BottomHalf[] bhs;
    private final List<BottomHalf> idleBhs = new ArrayList<>();
    private Interleaving turns;
    private int sinceCheck;
    private long runs;

    @Setup(Level.Trial)
    public void setUp() {
        contexts = new AioContext[IDLE.length];
        bhs = new BottomHalf[IDLE.length];
        String[] names = new String[IDLE.length];
        Runnable never = () -> {
            throw new AssertionError("an idle BH ran");
        };
        for (int i = 0; i < IDLE.length; i++) {
            names[i] = "idle=" + IDLE[i];
            contexts[i] = Contexts.createHere("bench-poll-cost-" + IDLE[i], scheduler);
            bhs[i] = contexts[i].newBottomHalf("bench", this::run);
            for (int k = 0; k < IDLE[i]; k++) {
                idleBhs.add(contexts[i].newBottomHalf("idle", never));
            }
        }
        turns = new Interleaving(TimeUnit.MILLISECONDS.toNanos(sliceMillis), names);
    }

    private void run() {
        runs++;
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        turns.startIteration(iteration);
    }

    @Benchmark
    public boolean schedulePoll() {
        int t = turns.current();
        bhs[t].schedule();
        boolean progress = contexts[t].poll(false);
        if (++sinceCheck == CHECK_EVERY) {
            sinceCheck = 0;
            if (turns.add(CHECK_EVERY)) {
                turns.next();
            }
        }
        return progress;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        turns.pause();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        for (int i = 0; i < IDLE.length; i++) {
            if (turns.ops(i) == 0) {
                throw new AssertionError("context " + turns.name(i) + " was never served");
            }
            TrialFigures.record(params, "ns." + turns.name(i), 1e9 / turns.rate(i));
        }
        if (runs == 0) {
            throw new AssertionError("the scheduled BHs never ran");
        }
        idleBhs.clear();
        for (AioContext ctx : contexts) {
            ctx.close();
        }
    }
}
