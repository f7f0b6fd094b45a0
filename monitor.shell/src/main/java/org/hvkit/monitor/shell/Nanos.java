package org.hvkit.monitor.shell;

import java.util.Locale;

/**
 * Formats a nanosecond count for people: {@code 850 ns}, {@code 12.3 us}, {@code 4.56 ms},
 * {@code 1.50 s}, three significant digits at most, with a minus sign when negative.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class Nanos {

    private Nanos() {
    }

    static String format(long nanos) {
        long magnitude = Math.abs(nanos);
        String sign = nanos < 0 ? "-" : "";
        if (magnitude < 1_000) {
            return sign + magnitude + " ns";
        }
        if (magnitude < 1_000_000) {
            return sign + scaled(magnitude / 1e3) + " us";
        }
        if (magnitude < 1_000_000_000) {
            return sign + scaled(magnitude / 1e6) + " ms";
        }
        return sign + scaled(magnitude / 1e9) + " s";
    }

    private static String scaled(double value) {
        String pattern = value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
