package org.hvkit.benchmarks;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its usual command line and prints {@link ResultsTable} at the end.
 *
 * <p>{@code java -cp benchmarks.jar org.hvkit.benchmarks.RunAndReport [JMH options]}
 */
public final class RunAndReport {

    private RunAndReport() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad JMH options: " + e.getMessage());
            System.exit(2);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("Results:");
        System.out.print(ResultsTable.format(results));
    }
}
