package org.hvkit.benchmarks;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * An A/B(/C...) measurement inside one trial: the benchmark serves one variant at a time and
 * switches to the next every {@code sliceNanos}, so every variant sees the same machine load,
 * whatever other work comes and goes on a shared machine; each variant's rate is its operations
 * over the time of its own slices. Sequential JMH runs, even minutes apart, see different load.
 *
 * <p>The benchmark adds its operations with {@link #add}, which says when the slice is over;
 * the benchmark then finishes the variant's work in flight if it can (that time is the
 * variant's) and calls {@link #next}. {@link #startIteration} and {@link #pause} keep the time
 * between JMH iterations out, and forget the warm-up.
 *
 * <p>Thread-safety: one benchmark thread.
 */
public final class Interleaving {

    private final String[] variants;
    private final long sliceNanos;
    private final long[] ops;
    private final long[] nanos;
    private int current;
    private long sliceStart = System.nanoTime();
    private long runningFrom = sliceStart;
    private boolean measuring;

    public Interleaving(long sliceNanos, String... variants) {
        this.variants = variants.clone();
        this.sliceNanos = sliceNanos;
        this.ops = new long[variants.length];
        this.nanos = new long[variants.length];
    }

    /** The index of the variant to serve now. */
    public int current() {
        return current;
    }

    /**
     * Counts {@code n} operations of the current variant.
     *
     * @return whether its slice is over
     */
    public boolean add(long n) {
        ops[current] += n;
        return System.nanoTime() - sliceStart >= sliceNanos;
    }

    /** Ends the current variant's slice and starts the next one's. */
    public void next() {
        long now = System.nanoTime();
        nanos[current] += now - runningFrom;
        current = (current + 1) % variants.length;
        sliceStart = now;
        runningFrom = now;
    }

    /**
     * Starts the clock for a JMH iteration, from its {@code @Setup(Level.Iteration)}: the first
     * measurement iteration forgets every count of the warm-up (the current slice goes on), any
     * other iteration goes on counting.
     */
    public void startIteration(IterationParams iteration) {
        startIteration(iteration, () -> { });
    }

    /**
     * As {@link #startIteration(IterationParams)}, running {@code onMeasurementStart} first in
     * the first measurement iteration, so that its own time is not counted to a variant.
     */
    public void startIteration(IterationParams iteration, Runnable onMeasurementStart) {
        if (!measuring && iteration.getType() == IterationType.MEASUREMENT) {
            measuring = true;
            onMeasurementStart.run();
            restart();
        } else {
            resume();
        }
    }

    /** Stops the clock between iterations. */
    public void pause() {
        nanos[current] += System.nanoTime() - runningFrom;
    }

    /** Starts the clock again. */
    private void resume() {
        runningFrom = System.nanoTime();
    }

    /** Forgets every count, as measurement starts; the current slice goes on. */
    private void restart() {
        java.util.Arrays.fill(ops, 0);
        java.util.Arrays.fill(nanos, 0);
        runningFrom = System.nanoTime();
    }

    /** The operations of variant {@code i} since measurement started. */
    public long ops(int i) {
        return ops[i];
    }

    /** Operations per second of variant {@code i} over its slices since measurement started. */
    public double rate(int i) {
        return nanos[i] == 0 ? Double.NaN : ops[i] * 1e9 / nanos[i];
    }

    public String name(int i) {
        return variants[i];
    }

    public int size() {
        return variants.length;
    }
}
