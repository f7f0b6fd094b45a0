package org.hvkit.benchmarks.report;

import java.util.Locale;

/**
 * Markdown tables and number formats for the report: absent figures (NaN) print as "n/a".
 *
 * <p>Thread-safety: one thread per instance.
 */
final class Markdown {

    private final StringBuilder text = new StringBuilder();

    Markdown line(String s) {
        text.append(s).append('\n');
        return this;
    }

    Markdown blank() {
        return line("");
    }

    Markdown heading(String s) {
        return blank().line("## " + s).blank();
    }

    Markdown row(String... cells) {
        return line("| " + String.join(" | ", cells) + " |");
    }

    /** A header row and its separator; numeric columns are right-aligned from the second on. */
    Markdown header(String... cells) {
        row(cells);
        String[] rule = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            rule[i] = i == 0 ? "---" : "---:";
        }
        return row(rule);
    }

    /** {@code value} with {@code decimals} decimals and thousands separators. */
    static String num(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%,." + decimals + "f", value) : "n/a";
    }

    /** A ratio, as "1.23x". */
    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2fx", value) : "n/a";
    }

    /** A share, as "0.12 %". */
    static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.2f %%", share * 100) : "n/a";
    }

    /** "met", "not met", or "n/a" when the figure is missing. */
    static String verdict(double figure, boolean met) {
        return !Double.isFinite(figure) ? "n/a" : met ? "met" : "**not met**";
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
