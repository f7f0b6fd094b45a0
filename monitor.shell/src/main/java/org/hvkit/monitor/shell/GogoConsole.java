package org.hvkit.monitor.shell;

import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Process;

/**
 * Where a long-running command writes while it runs, as Gogo tells it: the command's own
 * output (a pipe, a redirection, the session), whether that is the interactive terminal, and
 * whether the job runs in the background ({@code cmd &}, or after Ctrl-Z and {@code bg}).
 * Outside Gogo (a plain Java caller) it is standard output, not a terminal, in the foreground.
 *
 * <p>Thread-safety: use in the thread that runs the command; Gogo binds the process to it.
 */
final class GogoConsole {

    /** The session variable gogo.jline's shell sets to its JLine terminal. */
    private static final String TERMINAL = ".terminal";

    /** The ANSI sequence that erases the cursor's line (CSI 2 K), after a carriage return. */
    private static final String ERASE_LINE = "\r\u001b[2K";

    /** The longest wait for Gogo to mark a job started. */
    private static final long STARTING_NANOS = 500_000_000;

    private final Process process;
    private boolean seenInBackground;

    private GogoConsole(Process process) {
        this.process = process;
    }

    /** The console of the command running in this thread. */
    static GogoConsole current() {
        return new GogoConsole(Process.Utils.current());
    }

    /** The command's standard output. */
    PrintStream out() {
        return process == null ? System.out : process.out();
    }

    /**
     * True if the output goes straight to the interactive shell's terminal: Gogo says fd 1 is
     * the session's own stream (not a pipe or file) and the session has a terminal (a session
     * made with plain streams, as a test or a remote shell makes, has none).
     */
    boolean terminal() {
        return process != null && process.isTty(1) && process.job() != null
                && process.job().session().get(TERMINAL) != null;
    }

    /**
     * True while the command's job runs in the background (or is suspended). Gogo may start
     * the command before it marks the job foreground or background; a job still "created"
     * is waited for, briefly.
     */
    boolean inBackground() {
        if (process == null || process.job() == null) {
            return false;
        }
        Job.Status status = startedStatus(process.job());
        boolean background = status == Job.Status.Background || status == Job.Status.Suspended;
        seenInBackground |= background;
        return background;
    }

    private static Job.Status startedStatus(Job job) {
        long deadline = System.nanoTime() + STARTING_NANOS;
        Job.Status status = job.status();
        while (status == Job.Status.Created && System.nanoTime() < deadline) {
            // Job.start() marks the job right after handing it to its thread: microseconds.
            LockSupport.parkNanos(1_000_000);
            status = job.status();
        }
        return status;
    }

    /**
     * Gives the command's output to the user: as its result, which Gogo prints, if the job has
     * been in the foreground at every {@link #inBackground()} check; else printed here, since
     * Gogo drops the result of a job started with {@code &} (even after {@code fg}). Printed
     * while the job is in the background, it first erases the line the prompt is on; the
     * shell draws the prompt again when it reports the job done.
     *
     * @return the result for Gogo, or null if printed
     */
    String deliver(String output) {
        boolean background = inBackground();
        if (!seenInBackground) {
            return output;
        }
        PrintStream out = out();
        if (background && terminal()) {
            out.print(ERASE_LINE);
        }
        out.print(output);
        out.flush();
        return null;
    }
}
