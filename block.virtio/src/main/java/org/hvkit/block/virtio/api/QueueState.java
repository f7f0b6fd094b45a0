package org.hvkit.block.virtio.api;

/** Where a device queue stands, as a snapshot shows it. */
public enum QueueState {
    /** Not set up by the driver, or the device is reset: the queue takes no requests. */
    STOPPED,
    /** Serving the guest's requests. */
    RUNNING,
    /** Stopped on a guest error (a broken ring or malformed request) until the device is reset. */
    FAILED,
    /** Its context did not answer within the snapshot's timeout: only the counters are current. */
    BUSY,
    /**
     * Between contexts during a hot swap: kicks are counted and requests wait in the available
     * ring until a context takes the queue again. The ring indices are those the queue left
     * with; the context is the one that served it last.
     *
     * @since 1.1
     */
    DETACHED
}
