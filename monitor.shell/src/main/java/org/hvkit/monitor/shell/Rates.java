package org.hvkit.monitor.shell;

import java.util.Locale;

/**
 * Writes rates and times the way fio does: IOPS with three significant digits and a k or M
 * suffix above 9999 ({@code 131k}, {@code 12.3k}, {@code 1.25M}), megabytes (10^6 bytes)
 * per second with one decimal, microseconds from nanoseconds, and an ETA as {@code 00m:06s}.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class Rates {

    private Rates() {
    }

    /** I/Os per second, fio style. */
    static String iops(double iops) {
        if (iops < 10_000) {
            return Long.toString(Math.round(iops));
        }
        double scaled = iops < 999_500 ? iops / 1e3 : iops / 1e6;
        String suffix = iops < 999_500 ? "k" : "M";
        String digits = scaled >= 99.95 ? String.format(Locale.ROOT, "%.0f", scaled)
                : scaled >= 9.995 ? String.format(Locale.ROOT, "%.1f", scaled)
                : String.format(Locale.ROOT, "%.2f", scaled);
        return digits + suffix;
    }

    /** Megabytes per second with one decimal. */
    static String megabytes(double megabytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", megabytesPerSecond);
    }

    /** Nanoseconds as whole microseconds, rounded. */
    static long micros(long nanos) {
        return (nanos + 500) / 1000;
    }

    /** Seconds as fio's ETA: minutes and seconds, hours folded into minutes. */
    static String eta(long seconds) {
        long s = Math.max(0, seconds);
        return String.format(Locale.ROOT, "%02dm:%02ds", s / 60, s % 60);
    }
}
