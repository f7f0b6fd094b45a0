package org.hvkit.aio.impl;

import java.util.EnumSet;
import java.util.Set;
import org.hvkit.aio.monitor.BhFlag;

/**
 * The bits of a bottom half's one state word, as QEMU's {@code BH_*} flags.
 *
 * <p>Thread-safety: constants and pure functions.
 */
final class BhFlags {

    /** On a list: set by the enqueue that pushes it, cleared by the dequeue that takes it. */
    static final int PENDING = 1;
    /** Run when dequeued. */
    static final int SCHEDULED = 1 << 1;
    /** Forget when dequeued, never run again. */
    static final int DELETED = 1 << 2;
    /** Forget after one run. */
    static final int ONESHOT = 1 << 3;
    /** Run, but do not count as progress. */
    static final int IDLE = 1 << 4;

    /** What a dequeue clears with its one and-operation. */
    static final int CLEARED_ON_DEQUEUE = PENDING | SCHEDULED | IDLE;

    private BhFlags() {
    }

    /** Whether a dequeue that saw {@code old} must run the callback. */
    static boolean shouldRun(int old) {
        return (old & (SCHEDULED | DELETED)) == SCHEDULED;
    }

    /** Whether a dequeue that saw {@code old} must forget the BH. */
    static boolean shouldForget(int old) {
        return (old & (DELETED | ONESHOT)) != 0;
    }

    /** Every combination of the five flags as an immutable set, so a snapshot allocates no set per BH. */
    private static final Set<BhFlag>[] SETS = allSets();

    /** The monitor's view of a flag word: one shared immutable set per combination. */
    static Set<BhFlag> toSet(int flags) {
        return SETS[flags & (SETS.length - 1)];
    }

    @SuppressWarnings("unchecked")
    private static Set<BhFlag>[] allSets() {
        Set<BhFlag>[] sets = new Set[IDLE << 1];
        for (int flags = 0; flags < sets.length; flags++) {
            EnumSet<BhFlag> set = EnumSet.noneOf(BhFlag.class);
            addIf(set, flags, PENDING, BhFlag.PENDING);
            addIf(set, flags, SCHEDULED, BhFlag.SCHEDULED);
            addIf(set, flags, DELETED, BhFlag.DELETED);
            addIf(set, flags, ONESHOT, BhFlag.ONESHOT);
            addIf(set, flags, IDLE, BhFlag.IDLE);
            // Set.copyOf of an immutable set returns it, so PendingBottomHalf keeps this one.
            sets[flags] = Set.copyOf(set);
        }
        return sets;
    }

    private static void addIf(EnumSet<BhFlag> set, int flags, int bit, BhFlag flag) {
        if ((flags & bit) != 0) {
            set.add(flag);
        }
    }
}
