package org.hvkit.monitor.shell;

import java.util.ArrayList;
import java.util.Formatter;
import java.util.List;

/**
 * An aligned text table: text columns to the left, number columns to the right, two spaces
 * between columns, one line per row ending with the platform's line separator.
 *
 * <p>Thread-safety: not shared; one instance per command call.
 */
final class Table {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a text column, aligned left. */
    Table left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** Adds a number column, aligned right. */
    Table right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /**
     * Adds a row, one cell per column; a null cell shows as {@code -}.
     *
     * @throws IllegalArgumentException if the number of cells is not the number of columns
     */
    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    /** True if no row was added. */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line and every row. */
    String render() {
        int[] widths = new int[headers.size()];
        measure(headers.toArray(String[]::new), widths);
        rows.forEach(row -> measure(row, widths));
        StringBuilder out = new StringBuilder();
        try (Formatter f = new Formatter(out)) {
            line(f, headers.toArray(String[]::new), widths);
            rows.forEach(row -> line(f, row, widths));
        }
        return out.toString();
    }

    private static void measure(String[] row, int[] widths) {
        for (int i = 0; i < row.length; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
        }
    }

    private void line(Formatter f, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            String cell = row[i];
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(rightAligned.get(i) ? pad + cell : cell + (i == row.length - 1 ? "" : pad));
            if (i < row.length - 1) {
                line.append("  ");
            }
        }
        f.format("%s%n", line);
    }
}
