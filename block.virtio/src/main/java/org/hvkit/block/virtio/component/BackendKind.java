package org.hvkit.block.virtio.component;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The backends a device configuration may name. */
enum BackendKind {
    NULL, RAM, FILE;

    /** The configuration value, e.g. {@code ram}. */
    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Thread-safety: any thread.
     *
     * @throws IllegalArgumentException naming the valid values if {@code value} is none of them
     */
    static BackendKind parse(String value) {
        for (BackendKind kind : values()) {
            if (kind.configName().equals(value.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + value + "'; choose "
                + Arrays.stream(values()).map(BackendKind::configName).collect(Collectors.joining(", ")));
    }
}
