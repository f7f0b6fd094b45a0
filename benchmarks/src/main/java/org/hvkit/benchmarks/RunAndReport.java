package org.hvkit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hvkit.benchmarks.report.BenchmarkReport;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with its usual command line and prints {@link ResultsTable} at the end.
 *
 * <p>{@code java -cp benchmarks.jar org.hvkit.benchmarks.RunAndReport [JMH options]}
 *
 * <p>System properties: {@value TrialFigures#FILE_PROPERTY} names the file the forks append
 * their {@link TrialFigures} to (passed on to every fork; emptied first);
 * {@value #REPORT_DIR} names the docs folder to write {@code benchmarks.md} and its plots to
 * after the run, and {@value #REPORT_MODE} the word the report names its run by.
 */
public final class RunAndReport {

    /** The docs folder to write the report to; no report without it. */
    static final String REPORT_DIR = "hvkit.report.dir";
    /** "quick" or "full": how the report names the run. */
    static final String REPORT_MODE = "hvkit.report.mode";

    private RunAndReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad JMH options: " + e.getMessage());
            System.exit(2);
            return;
        }
        Instant started = Instant.now();
        String loadAtStart = BenchmarkReport.loadAverage();
        String figuresFile = System.getProperty(TrialFigures.FILE_PROPERTY);
        List<String> append = new ArrayList<>(options.getJvmArgsAppend().orElse(List.of()));
        // P6's CPU samples name the method that ran, inlined frames resolved, only with
        // DebugNonSafepoints; without it a sample is charged to the nearest safepoint's scope,
        // which in inlined code can be another method, even another scheduler's.
        append.add("-XX:+UnlockDiagnosticVMOptions");
        append.add("-XX:+DebugNonSafepoints");
        if (figuresFile != null) {
            Files.deleteIfExists(Path.of(figuresFile));
            append.add("-D" + TrialFigures.FILE_PROPERTY + "=" + figuresFile);
        }
        Options run = new OptionsBuilder().parent(options).jvmArgsAppend(append.toArray(String[]::new)).build();
        Collection<RunResult> results = new Runner(run).run();
        System.out.println();
        System.out.println("Results:");
        System.out.print(ResultsTable.format(results));
        String docs = System.getProperty(REPORT_DIR);
        if (docs != null) {
            TrialFigures figures = figuresFile == null ? TrialFigures.none() : TrialFigures.read(Path.of(figuresFile));
            BenchmarkReport.write(results, figures, Path.of(docs), System.getProperty(REPORT_MODE, "custom"), started,
                    loadAtStart);
            System.out.println("Report written to " + Path.of(docs).resolve("benchmarks.md"));
        }
    }
}
