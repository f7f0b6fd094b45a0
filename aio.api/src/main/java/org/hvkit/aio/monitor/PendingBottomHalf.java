package org.hvkit.aio.monitor;

import java.util.Objects;
import java.util.Set;

/**
 * One bottom half that is waiting to be run or forgotten.
 *
 * @param name the BH's name
 * @param flags its flags at the time of the snapshot
 * @param queue where it waits
 * @param slice for {@link BhQueue#SLICE}, the slice's depth, 1 for the outermost poll's
 *     slice; 0 otherwise
 * @param owner who created it (a bundle's symbolic name), or empty if unknown
 */
public record PendingBottomHalf(String name, Set<BhFlag> flags, BhQueue queue, int slice, String owner) {

    /** Checks and copies the arguments. */
    public PendingBottomHalf {
        Objects.requireNonNull(name, "name");
        flags = Set.copyOf(flags);
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * The flags as letters in the fixed order P S D O I, with {@code -} for a clear flag.
     *
     * @return e.g. {@code "PS---"}
     */
    public String flagCodes() {
        StringBuilder codes = new StringBuilder(BhFlag.values().length);
        for (BhFlag flag : BhFlag.values()) {
            codes.append(flags.contains(flag) ? flag.code() : '-');
        }
        return codes.toString();
    }
}
