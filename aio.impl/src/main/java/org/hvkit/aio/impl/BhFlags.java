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

    /** The monitor's view of a flag word. */
    static Set<BhFlag> toSet(int flags) {
        EnumSet<BhFlag> set = EnumSet.noneOf(BhFlag.class);
        if ((flags & PENDING) != 0) {
            set.add(BhFlag.PENDING);
        }
        if ((flags & SCHEDULED) != 0) {
            set.add(BhFlag.SCHEDULED);
        }
        if ((flags & DELETED) != 0) {
            set.add(BhFlag.DELETED);
        }
        if ((flags & ONESHOT) != 0) {
            set.add(BhFlag.ONESHOT);
        }
        if ((flags & IDLE) != 0) {
            set.add(BhFlag.IDLE);
        }
        return set;
    }
}
