package org.hvkit.benchmarks.aio;

import java.util.concurrent.TimeUnit;
import org.hvkit.aio.monitor.ContextCounters;
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
 * {@link CrossThreadBenchmark}'s hand-over with an IOThread and the two peers, Netty's loop and
 * the JDK's executor, alive in one trial, served in turn for {@code sliceMillis} each
 * ({@link Interleaving}): the ratios between them do not depend on what else the machine ran
 * minute by minute. Each IOThread scheduler has a trial of its own, as a deployment's JVM runs
 * one: with both in one JVM, the shared code's calls into its scheduler see two classes and
 * are compiled for both, which slowed the sliced loop. At the end of each slice the producer
 * waits until the loop has run everything handed over, so a slice's hand-overs are runs, and
 * the loops not being served sleep. The teardown records {@code rate.<loop>} (callbacks per
 * second over that loop's slices, measurement iterations only); JMH's score is the mix.
 *
 * <p>Thread-safety: one benchmark thread, the producer; each loop runs its callbacks in its own
 * thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CrossThreadInterleavedBenchmark {

    /** Hand-overs between two looks at the clock. */
    private static final int CHECK_EVERY = 256;

    /** Hand-overs not yet run, at most; a power of two. */
    @Param({"1024"})
    int window;

    @Param({"50"})
    long sliceMillis;

    /** The IOThread's BH scheduler. */
    @Param({"sliced", "linear"})
    String scheduler;

    private String[] loops;

    private CrossThreadTargets.Target[] targets;
    private HandOverWindow[] handOvers;
    /** Each loop's counters when the trial began; null for loops that keep none. */
    private ContextCounters[] countersAtStart;
    private int mask;
    private Interleaving turns;

    @Setup(Level.Trial)
    public void setUp() {
        if (Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window must be a power of two: " + window);
        }
        int tasks = 4 * window;
        mask = tasks - 1;
        loops = new String[] {scheduler, "netty-nio", "jdk-single"};
        targets = new CrossThreadTargets.Target[loops.length];
        handOvers = new HandOverWindow[loops.length];
        countersAtStart = new ContextCounters[loops.length];
        for (int i = 0; i < loops.length; i++) {
            RunCount ran = new RunCount();
            targets[i] = CrossThreadTargets.create(loops[i], tasks, ran);
            handOvers[i] = new HandOverWindow(ran, window);
            countersAtStart[i] = targets[i].counters();
        }
        turns = new Interleaving(TimeUnit.MILLISECONDS.toNanos(sliceMillis), loops);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        turns.startIteration(iteration);
    }

    @Benchmark
    public void handOver() {
        int t = turns.current();
        HandOverWindow handOver = handOvers[t];
        long handed = handOver.next();
        targets[t].submit((int) (handed & mask));
        if (((handed + 1) & (CHECK_EVERY - 1)) == 0 && turns.add(CHECK_EVERY)) {
            handOver.awaitAllRun();
            turns.next();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        turns.pause();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        for (int i = 0; i < loops.length; i++) {
            TrialFigures.record(params, "rate." + loops[i], turns.rate(i));
            ContextCounters after = targets[i].counters();
            if (after != null) {
                // Warm-up included: how often the producer had to wake the loop, which tells
                // whether the loop sleeps between the producer's hand-overs in its turns, and
                // how many BHs a poll takes at once (the inverse of polls per schedule).
                double n = Math.max(1, handOvers[i].handedOver());
                TrialFigures.record(params, "wakeups.per.schedule." + loops[i],
                        (after.wakeUpsSent() - countersAtStart[i].wakeUpsSent()) / n);
                TrialFigures.record(params, "blocking.waits.per.schedule." + loops[i],
                        (after.blockingWaits() - countersAtStart[i].blockingWaits()) / n);
                TrialFigures.record(params, "polls.per.schedule." + loops[i],
                        (after.polls() - countersAtStart[i].polls()) / n);
            }
            targets[i].close();
        }
    }
}
