package org.hvkit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Formatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Formats JMH results as one table: benchmark, parameters, score with error, and the
 * allocation per operation when {@code -prof gc} ran; then, for every benchmark with an
 * {@code idle} parameter, the cost at the largest {@code idle} over the cost at 0 per
 * scheduler and other parameters (the O(1) check); then, for every benchmark with an event counter named
 * {@value #REQUESTS}, each of its other event counters per request (kicks, interrupts).
 * Later benchmarks add rows without changing this class.
 *
 * <p>Thread-safety: stateless.
 */
public final class ResultsTable {

    /** The secondary result of JMH's gc profiler: bytes allocated per operation. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    /** The event counter that other event counters are divided by. */
    static final String REQUESTS = "requests";
    /** The unit JMH gives {@code @AuxCounters(Type.EVENTS)} results. */
    static final String EVENTS_UNIT = "#";

    private ResultsTable() {
    }

    /** The table for {@code results}, lines ending in {@code %n}. */
    public static String format(Collection<RunResult> results) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((RunResult r) -> r.getParams().getBenchmark())
                .thenComparing(RunResult::getParams, ResultsTable::compareParams));
        Formatter out = new Formatter();
        out.format("%-48s %-28s %14s %10s %-6s %10s%n", "Benchmark", "Params", "Score", "Error", "Units", "Alloc B/op");
        for (RunResult r : sorted) {
            Result<?> primary = r.getPrimaryResult();
            out.format("%-48s %-28s %14.3f %10.3f %-6s %10s%n", shortName(r.getParams()), paramsOf(r.getParams()),
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), alloc(r));
        }
        ratios(sorted, out);
        perRequest(sorted, out);
        return out.toString();
    }

    /**
     * For each benchmark and each combination of its other parameters (scheduler, pending...)
     * measured at several {@code idle} counts: max over 0.
     */
    private static void ratios(List<RunResult> sorted, Formatter out) {
        Map<String, Map<Integer, Double>> byKey = new LinkedHashMap<>();
        for (RunResult r : sorted) {
            BenchmarkParams p = r.getParams();
            if (p.getParam("idle") == null) {
                continue;
            }
            StringBuilder key = new StringBuilder(shortName(p));
            for (String other : p.getParamsKeys()) {
                if (!other.equals("idle")) {
                    key.append(' ').append(other).append('=').append(p.getParam(other));
                }
            }
            byKey.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>())
                    .put(Integer.parseInt(p.getParam("idle")), r.getPrimaryResult().getScore());
        }
        for (Map.Entry<String, Map<Integer, Double>> e : byKey.entrySet()) {
            Map<Integer, Double> scores = e.getValue();
            int max = scores.keySet().stream().max(Integer::compare).orElse(0);
            if (max > 0 && scores.containsKey(0)) {
                out.format("%s: idle=%d / idle=0 = %.2f%n", e.getKey(), max, scores.get(max) / scores.get(0));
            }
        }
    }

    /**
     * Event counters over the {@value #REQUESTS} counter, one line per run. Both are summed
     * the same way over iterations, so the ratio is per request whatever the aggregation.
     */
    private static void perRequest(List<RunResult> sorted, Formatter out) {
        for (RunResult r : sorted) {
            Map<String, Result> secondary = r.getSecondaryResults();
            Result<?> requests = secondary.get(REQUESTS);
            if (requests == null || requests.getScore() <= 0) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Result> e : secondary.entrySet()) {
                if (!e.getKey().equals(REQUESTS) && EVENTS_UNIT.equals(e.getValue().getScoreUnit())) {
                    line.append(String.format(" %s/request=%.4f", e.getKey(),
                            e.getValue().getScore() / requests.getScore()));
                }
            }
            out.format("%s %s:%s%n", shortName(r.getParams()), paramsOf(r.getParams()), line);
        }
    }

    /** Parameter by parameter, numbers by value: idle=3170 before idle=10000. */
    private static int compareParams(BenchmarkParams a, BenchmarkParams b) {
        for (String key : a.getParamsKeys()) {
            String x = a.getParam(key);
            String y = b.getParam(key);
            int c = y == null ? 1 : isNumber(x) && isNumber(y)
                    ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean isNumber(String s) {
        return s.matches("-?[0-9]{1,18}");
    }

    private static String alloc(RunResult r) {
        Result<?> norm = r.getSecondaryResults().get(ALLOC_NORM);
        return norm == null ? "-" : String.format("%.1f", norm.getScore());
    }

    private static String shortName(BenchmarkParams p) {
        String full = p.getBenchmark();
        int method = full.lastIndexOf('.');
        int type = full.lastIndexOf('.', method - 1);
        return full.substring(type + 1);
    }

    private static String paramsOf(BenchmarkParams p) {
        StringBuilder sb = new StringBuilder();
        for (String key : p.getParamsKeys()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(key).append('=').append(p.getParam(key));
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
