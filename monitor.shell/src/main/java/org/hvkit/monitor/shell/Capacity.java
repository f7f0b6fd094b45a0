package org.hvkit.monitor.shell;

import java.util.Locale;

/**
 * Writes byte counts as people and QEMU's {@code info block} read them: in the largest binary
 * unit (K, M, G, T; powers of 1024) that holds at least one, exact when it divides
 * ({@code 256M}), else with one decimal ({@code 1.5G}); below 1 KiB as plain bytes.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class Capacity {

    private static final String UNITS = "KMGTPE";

    private Capacity() {
    }

    /** The size in human form; negative sizes are written as given. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        long divisor = 1L << (10 * unit);
        char suffix = UNITS.charAt(unit - 1);
        if (bytes % divisor == 0) {
            return bytes / divisor + String.valueOf(suffix);
        }
        return String.format(Locale.ROOT, "%.1f%c", (double) bytes / divisor, suffix);
    }
}
