package org.hvkit.aio.monitor;

/** Where a pending bottom half waits. */
public enum BhQueue {
    /** The context's incoming list: scheduled since the last poll took a slice. */
    INCOMING,
    /** A slice taken by a poll and not yet finished (a nested poll is running). */
    SLICE,
    /** The one list of the linear scheduler, which holds every BH. */
    LIST
}
