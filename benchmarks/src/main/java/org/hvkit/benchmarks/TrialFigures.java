package org.hvkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Figures a trial measures besides JMH's own results (a latency percentile, wake-ups per
 * schedule, a profile share), passed from the forked benchmark JVM to the report. JMH keeps
 * only scores it aggregates itself; these are whole-trial figures, so each trial's teardown
 * appends one line per figure to the file named by the system property {@value #FILE_PROPERTY},
 * and {@link RunAndReport} reads them back keyed like its {@code RunResult}s. Without the
 * property the figures are printed only.
 *
 * <p>Thread-safety: {@link #record} from a benchmark's teardown; forks run one after another,
 * so appends never interleave.
 */
public final class TrialFigures {

    /** The system property naming the file the figures go to. */
    public static final String FILE_PROPERTY = "hvkit.bench.figures";

    private final Map<String, Map<String, List<Double>>> byRun;

    private TrialFigures(Map<String, Map<String, List<Double>>> byRun) {
        this.byRun = byRun;
    }

    /** Records {@code value} as figure {@code name} of the trial of {@code params}. */
    public static void record(BenchmarkParams params, String name, double value) {
        String line = key(params) + '\t' + name + '\t' + value + '\n';
        System.out.printf(Locale.ROOT, "%s %s = %.6g%n", key(params), name, value);
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No figures: a run without {@value #FILE_PROPERTY}. */
    public static TrialFigures none() {
        return new TrialFigures(Map.of());
    }

    /** The figures in {@code file}; none if it does not exist. */
    public static TrialFigures read(Path file) throws IOException {
        Map<String, Map<String, List<Double>>> byRun = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    byRun.computeIfAbsent(f[0], k -> new HashMap<>())
                            .computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2]));
                }
            }
        }
        return new TrialFigures(byRun);
    }

    /** The mean of figure {@code name} over the forks of the run of {@code params}, or NaN. */
    public double mean(BenchmarkParams params, String name) {
        List<Double> values = byRun.getOrDefault(key(params), Map.of()).get(name);
        return values == null ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The benchmark and its parameters, the same in the fork and in the host. */
    static String key(BenchmarkParams params) {
        StringBuilder key = new StringBuilder(params.getBenchmark());
        for (String k : params.getParamsKeys()) {
            key.append(' ').append(k).append('=').append(params.getParam(k));
        }
        return key.toString();
    }
}
