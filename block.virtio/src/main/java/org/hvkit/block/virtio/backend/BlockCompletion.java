package org.hvkit.block.virtio.backend;

/**
 * Called once when a backend operation ends. The device passes a preallocated per-request
 * object, so a backend that completes at once (RAM, null) allocates nothing.
 *
 * <p>Thread-safety: a backend calls it either before the submitting method returns (on the
 * submitting thread) or later on the thread of the AioContext that submitted it; never on
 * another thread. Implementations must accept both.
 */
@FunctionalInterface
public interface BlockCompletion {

    /** The operation succeeded. */
    int OK = 0;
    /** The operation failed: an I/O error, a range outside the backend, or a read-only backend. */
    int IO_ERROR = 1;
    /** The backend cannot do this kind of operation. */
    int UNSUPPORTED = 2;

    /**
     * Reports the outcome.
     *
     * @param status {@link #OK}, {@link #IO_ERROR} or {@link #UNSUPPORTED}
     */
    void complete(int status);
}
