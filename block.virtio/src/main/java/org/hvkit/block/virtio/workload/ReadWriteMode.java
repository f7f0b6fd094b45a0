package org.hvkit.block.virtio.workload;

import java.util.Objects;

/**
 * What a workload does, named as fio's {@code rw} option: sequential or random reads or
 * writes, or random mixed reads and writes ({@link WorkloadSpec#readPercent()} reads).
 *
 * <p>Thread-safety: immutable; any thread.
 */
public enum ReadWriteMode {
    /** Sequential reads. */
    READ("read"),
    /** Sequential writes. */
    WRITE("write"),
    /** Random reads. */
    RANDREAD("randread"),
    /** Random writes. */
    RANDWRITE("randwrite"),
    /** Random mixed reads and writes. */
    RANDRW("randrw");

    private final String fioName;

    ReadWriteMode(String fioName) {
        this.fioName = fioName;
    }

    /**
     * The mode of a fio {@code rw} name.
     *
     * @param fioName "read", "write", "randread", "randwrite" or "randrw"
     * @return the mode
     * @throws IllegalArgumentException if the name is none of those
     */
    public static ReadWriteMode parse(String fioName) {
        Objects.requireNonNull(fioName, "fioName");
        for (ReadWriteMode m : values()) {
            if (m.fioName.equals(fioName)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown rw mode '" + fioName + "': use read, write, randread, randwrite or randrw");
    }

    /** The fio name, as {@link #parse} accepts it. */
    public String fioName() {
        return fioName;
    }

    /** True for the random modes: offsets from a seeded generator, not a sequential walk. */
    public boolean isRandom() {
        return this == RANDREAD || this == RANDWRITE || this == RANDRW;
    }
}
