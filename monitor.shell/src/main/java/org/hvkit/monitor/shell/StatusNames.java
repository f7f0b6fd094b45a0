package org.hvkit.monitor.shell;

import java.util.StringJoiner;

/**
 * Spells a virtio device status byte (virtio 1.2 §2.1) as its bit names in the order a driver
 * sets them: {@code 0}, {@code ACK|DRIVER|FEATURES_OK|DRIVER_OK}, with {@code NEEDS_RESET} and
 * {@code FAILED} when the device or the driver gave up. Bits the specification does not name
 * show as hex, so nothing the device reports is hidden.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class StatusNames {

    private static final int[] BITS = {1, 2, 8, 4, 64, 128};
    private static final String[] NAMES = {"ACK", "DRIVER", "FEATURES_OK", "DRIVER_OK", "NEEDS_RESET", "FAILED"};

    private StatusNames() {
    }

    /** The status as names joined by {@code |}; {@code 0} for a reset device. */
    static String of(int status) {
        if (status == 0) {
            return "0";
        }
        StringJoiner names = new StringJoiner("|");
        int rest = status & 0xff;
        for (int i = 0; i < BITS.length; i++) {
            if ((status & BITS[i]) != 0) {
                names.add(NAMES[i]);
                rest &= ~BITS[i];
            }
        }
        if (rest != 0) {
            names.add(String.format("0x%02x", rest));
        }
        return names.toString();
    }
}
