package org.hvkit.benchmarks.aio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many callbacks a loop has run, counted by the loop's thread and read by a producer that
 * waits on it.
 *
 * <p>Thread-safety: {@link #increment()} from one thread only (the loop's); {@link #get()} from
 * any thread.
 */
final class RunCount extends RunCountPadding implements Runnable {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(RunCount.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long value;

    /** 128 bytes after the count, for what is allocated after it (see {@link RunCountPadding}). */
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    /** The loop's callback: counts one run. */
    @Override
    public void run() {
        increment();
    }

    void increment() {
        // One writer: a plain read and a release store, which pairs with the acquire load in
        // get(): a producer that sees the count sees the callback's effects too.
        VALUE.setRelease(this, (long) VALUE.get(this) + 1);
    }

    long get() {
        return (long) VALUE.getAcquire(this);
    }
}
