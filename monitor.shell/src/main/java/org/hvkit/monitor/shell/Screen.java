package org.hvkit.monitor.shell;

import java.io.PrintStream;
import java.time.Duration;
import org.apache.felix.service.command.CommandSession;

/**
 * What a refreshing view needs from where it is shown: whether a key can stop it, a wait
 * that a key ends early, and clearing between refreshes where that makes sense.
 *
 * <p>Thread-safety: one command's thread, between {@link #of} and {@link #close}.
 */
interface Screen extends AutoCloseable {

    /** Session variable under which gogo.jline keeps the session's terminal. */
    String TERMINAL = ".terminal";

    /**
     * Session variable of gogo.jline's line reader, set in interactive sessions only: a
     * {@code --nointeractive} session has a terminal too (a dumb one on a pipe), but nobody
     * types at it.
     */
    String READER = ".reader";

    /**
     * The screen of a session: its terminal in the interactive shell, else a plain stream
     * with no keyboard (scripts, {@code gosh --nointeractive}, tests).
     */
    static Screen of(CommandSession session) {
        Object terminal = session.get(TERMINAL);
        if (terminal != null && session.get(READER) != null) {
            try {
                Screen screen = TerminalScreen.of(terminal);
                if (screen != null) {
                    return screen;
                }
            } catch (LinkageError e) {
                // This bundle's optional import of jline is not wired: no keys, no clearing.
            }
        }
        return new PlainScreen();
    }

    /** True if a key press can end {@link #awaitKey}. */
    boolean hasKeyboard();

    /** Clears the screen before a refresh, on a real terminal only. */
    void clear(PrintStream out);

    /**
     * Waits {@code wait}, or less if a key is pressed meanwhile.
     *
     * @return true if a key was pressed
     * @throws InterruptedException if the command's thread is interrupted (Ctrl-C)
     */
    boolean awaitKey(Duration wait) throws InterruptedException;

    /** Gives the terminal back as it was. */
    @Override
    void close();
}
