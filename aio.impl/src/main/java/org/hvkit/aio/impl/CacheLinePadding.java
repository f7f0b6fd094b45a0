package org.hvkit.aio.impl;

/**
 * 128 bytes of nothing, as a superclass: the fields of a subclass are laid out after them,
 * so they share no cache line (nor, with adjacent-line prefetch, a line pair) with whatever
 * object lies before in memory. See {@link IncomingHead}. The int takes the gap after a
 * compressed object header, which the JVM would otherwise fill with a subclass's first small
 * field, before the padding instead of after it.
 */
@SuppressWarnings("unused")
abstract class CacheLinePadding {
    private int gap;
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}
