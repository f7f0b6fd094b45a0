package org.hvkit.benchmarks.report;

import java.util.Collection;
import org.hvkit.benchmarks.TrialFigures;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The results of one run, looked up by benchmark and parameters; absent results are NaN, so
 * a partial run (a regexp, a failed benchmark) still gives a report with gaps.
 *
 * <p>Thread-safety: read-only after construction.
 */
final class RunIndex {

    private final Collection<RunResult> runs;
    private final TrialFigures figures;

    RunIndex(Collection<RunResult> runs, TrialFigures figures) {
        this.runs = runs;
        this.figures = figures;
    }

    /**
     * The run of {@code benchmark} ("Class.method") whose parameters include every
     * {@code name=value} of {@code params}, or null.
     */
    RunResult find(String benchmark, String... params) {
        for (RunResult r : runs) {
            BenchmarkParams p = r.getParams();
            if (p.getBenchmark().endsWith("." + benchmark) && matches(p, params)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matches(BenchmarkParams p, String[] params) {
        for (String kv : params) {
            int eq = kv.indexOf('=');
            if (!kv.substring(eq + 1).equals(p.getParam(kv.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** The primary score. */
    double score(String benchmark, String... params) {
        RunResult r = find(benchmark, params);
        return r == null ? Double.NaN : r.getPrimaryResult().getScore();
    }

    /** A secondary result: a profiler's ({@code gc.alloc.rate.norm}) or an aux counter. */
    double secondary(String name, String benchmark, String... params) {
        RunResult r = find(benchmark, params);
        Result<?> s = r == null ? null : r.getSecondaryResults().get(name);
        return s == null ? Double.NaN : s.getScore();
    }

    /** Bytes allocated per operation, from {@code -prof gc}. */
    double alloc(String benchmark, String... params) {
        return secondary("gc.alloc.rate.norm", benchmark, params);
    }

    /** A {@link TrialFigures} figure, the mean over forks. */
    double figure(String name, String benchmark, String... params) {
        RunResult r = find(benchmark, params);
        return r == null ? Double.NaN : figures.mean(r.getParams(), name);
    }

    /** The JMH settings of the first run, as one line. */
    String settings() {
        for (RunResult r : runs) {
            BenchmarkParams p = r.getParams();
            return String.format("%d fork(s), %d x %s warm-up, %d x %s measurement, %d thread(s)", p.getForks(),
                    p.getWarmup().getCount(), p.getWarmup().getTime(), p.getMeasurement().getCount(),
                    p.getMeasurement().getTime(), p.getThreads());
        }
        return "no benchmark ran";
    }
}
