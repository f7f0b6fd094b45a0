package org.hvkit.monitor.shell;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses command arguments given as text, so that a bad one gives one clear sentence
 * naming the option rather than a conversion error from the shell.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class Args {

    private Args() {
    }

    /**
     * An int from {@code min} to {@code max}.
     *
     * @throws IllegalArgumentException naming {@code option} if it is not one
     */
    static int intIn(String option, String text, int min, int max) {
        long value = longIn(option, text, min, max);
        return (int) value;
    }

    /**
     * A long from {@code min} to {@code max}.
     *
     * @throws IllegalArgumentException naming {@code option} if it is not one
     */
    static long longIn(String option, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    /**
     * A byte count as fio writes them: {@code 4096}, {@code 4k}, {@code 1m} (powers of 1024).
     *
     * @throws IllegalArgumentException naming {@code option} if it is not one or above {@code max}
     */
    static long size(String option, String text, long max) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int shift = s.endsWith("k") ? 10 : s.endsWith("m") ? 20 : s.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 12) {
            throw new IllegalArgumentException(option + " must be a size such as 4096, 4k or 1m, not '" + text + "'");
        }
        long value = Long.parseLong(digits) << shift;
        if (value > max) {
            throw new IllegalArgumentException(option + " must be at most " + max + " bytes, not '" + text + "'");
        }
        return value;
    }

    /**
     * A duration: seconds ({@code 10}), or with a unit {@code ms}, {@code s}, {@code m}.
     *
     * @throws IllegalArgumentException naming {@code option} if it is not one
     */
    static Duration duration(String option, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String digits;
        long unitMillis;
        if (s.endsWith("ms")) {
            digits = s.substring(0, s.length() - 2);
            unitMillis = 1;
        } else if (s.endsWith("s")) {
            digits = s.substring(0, s.length() - 1);
            unitMillis = 1000;
        } else if (s.endsWith("m")) {
            digits = s.substring(0, s.length() - 1);
            unitMillis = 60_000;
        } else {
            digits = s;
            unitMillis = 1000;
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
            throw new IllegalArgumentException(option + " must be a duration such as 10, 10s, 500ms or 2m, not '"
                    + text + "'");
        }
        return Duration.ofMillis(Long.parseLong(digits) * unitMillis);
    }
}
