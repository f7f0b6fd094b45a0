package org.hvkit.aio.impl;

/**
 * The head of {@link SlicedScheduler}'s incoming list, on a cache line pair of its own.
 * Producers CAS it and the loop exchanges it; the scheduler's other fields are the loop's
 * alone and written on every poll. Sharing a line with those would make each producer's
 * CAS wait for the line the loop just wrote, and each poll wait for it back. The padding
 * before is {@link CacheLinePadding}; the padding after is the scheduler's own first fields
 * (a class's long fields are laid out first, right after its superclass's).
 *
 * <p>Thread-safety: see {@link SlicedScheduler}.
 */
abstract class IncomingHead extends CacheLinePadding {

    /** Head of the incoming list: written by producers' CAS and the poll's exchange. */
    volatile BottomHalfImpl incoming;

    /** Fills the rest of the head's 8 bytes, which the JVM would give a subclass's small field. */
    @SuppressWarnings("unused")
    private int gap;
}
