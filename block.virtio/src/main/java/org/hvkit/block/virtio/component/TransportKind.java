package org.hvkit.block.virtio.component;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a guest reaches a device: the configuration's {@code transport}. */
enum TransportKind {
    /** The in-process driver model (virtio:fio) calls the device directly. */
    INPROCESS("inprocess"),
    /** A vhost-user front-end (QEMU) connects to the device's socket and shares guest RAM. */
    VHOST_USER("vhost-user");

    private final String configName;

    TransportKind(String configName) {
        this.configName = configName;
    }

    /** The configuration value, e.g. {@code vhost-user}. */
    String configName() {
        return configName;
    }

    /**
     * Thread-safety: any thread.
     *
     * @throws IllegalArgumentException naming the valid values if {@code value} is none of them
     */
    static TransportKind parse(String value) {
        for (TransportKind kind : values()) {
            if (kind.configName.equals(value.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + value + "'; choose "
                + Arrays.stream(values()).map(TransportKind::configName).collect(Collectors.joining(", ")));
    }
}
