package org.hvkit.block.virtio.component;

import java.util.Locale;

/** Sizes as QEMU writes them: {@code 4096}, {@code 64K}, {@code 256M}, {@code 2G}, {@code 1T}. */
final class SizeParser {

    private SizeParser() {
    }

    /**
     * Parses a size. Thread-safety: any thread.
     *
     * @param text ASCII digits with an optional suffix K, M, G or T (case-insensitive, powers of 1024)
     * @return the size in bytes
     * @throws IllegalArgumentException if it is not such a size or does not fit in a long
     */
    static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int shift = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1048576, 512K, 256M, 2G)");
        }
        try {
            long value = Long.parseLong(digits);
            if (value > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size", e);
        }
    }
}
