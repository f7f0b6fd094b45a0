package org.hvkit.benchmarks.aio;

/**
 * 128 bytes before {@link RunCount}'s count, which the loop's thread writes on every
 * callback: without them the count may share a cache line with whatever the producer
 * allocated just before (its own per-loop state, written on every hand-over), and each
 * hand-over would then wait for that line. The int takes the gap after a compressed object
 * header, where the JVM would otherwise put the count.
 */
@SuppressWarnings("unused")
abstract class RunCountPadding {
    private int gap;
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}
