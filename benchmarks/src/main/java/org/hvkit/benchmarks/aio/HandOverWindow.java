package org.hvkit.benchmarks.aio;

/**
 * The producer's side of a bounded hand-over: how many tasks it has handed to a loop, and the
 * loop's {@link RunCount} as last read. It reads the count only when the window looks full, as
 * a bounded queue's producer keeps the consumer's index it last saw: the loop writes the count
 * on every run, and a read on every hand-over would take that line from the loop each time,
 * so the loop would wait for it on every run; that cost would be the harness's, not the loop's.
 * A count read late is only lower, so the window is never exceeded.
 *
 * <p>Thread-safety: the producer thread only.
 */
final class HandOverWindow {

    private final RunCount ran;
    private final long size;
    private long handedOver;
    private long seenRun;

    HandOverWindow(RunCount ran, int size) {
        this.ran = ran;
        this.size = size;
    }

    /** Waits until one more hand-over fits in the window and counts it; returns its number. */
    long next() {
        if (handedOver - seenRun >= size) {
            while (handedOver - (seenRun = ran.get()) >= size) {
                Thread.onSpinWait();
            }
        }
        return handedOver++;
    }

    /** Waits until the loop has run every hand-over. */
    void awaitAllRun() {
        while (ran.get() != handedOver) {
            Thread.onSpinWait();
        }
        seenRun = handedOver;
    }

    long handedOver() {
        return handedOver;
    }
}
