package org.hvkit.monitor.shell;

import java.io.PrintStream;
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

    private final Process process;

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

    /** True while the command's job runs in the background (or is suspended). */
    boolean inBackground() {
        if (process == null || process.job() == null) {
            return false;
        }
        Job.Status status = process.job().status();
        return status == Job.Status.Background || status == Job.Status.Suspended;
    }
}
