package org.hvkit.aio;

/**
 * Thrown when a context's home thread did not run a task within the caller's bound,
 * e.g. because a callback is blocked. The task may still run later.
 */
public class ContextBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which context and how long was waited
     */
    public ContextBusyException(String message) {
        super(message);
    }
}
