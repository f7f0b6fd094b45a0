package org.hvkit.aio.monitor;

/**
 * The flags of a bottom half's state word, with the one-letter codes the monitor prints.
 */
public enum BhFlag {
    /** On a list: the incoming list or a slice (sliced), or marked for a walk (linear). */
    PENDING('P'),
    /** Will run when dequeued. */
    SCHEDULED('S'),
    /** Will be forgotten when dequeued; never runs again. */
    DELETED('D'),
    /** Runs once, then is forgotten. */
    ONESHOT('O'),
    /** Runs without counting as progress. */
    IDLE('I');

    private final char code;

    BhFlag(char code) {
        this.code = code;
    }

    /**
     * The one-letter code.
     *
     * @return P, S, D, O or I
     */
    public char code() {
        return code;
    }
}
