package org.hvkit.monitor.shell;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.time.Duration;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

/**
 * The interactive shell's JLine terminal, in raw mode while a view refreshes so that one key
 * press, without Enter, reaches the command (the line reader gives the terminal back in
 * canonical mode when a command runs). Ctrl-C still interrupts: raw mode keeps signals.
 *
 * <p>The only class of this bundle that touches JLine, whose packages it imports optionally:
 * the distribution's system bundle exports them; the integration tests run without them.
 *
 * <p>Thread-safety: one command's thread, between {@link #of} and {@link #close}.
 */
final class TerminalScreen implements Screen {

    private final Terminal terminal;
    private final Attributes saved;
    private final boolean dumb;

    private TerminalScreen(Terminal terminal) {
        this.terminal = terminal;
        this.dumb = terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB);
        this.saved = terminal.enterRawMode();
    }

    /** The screen of {@code terminal}, or null if it is not a JLine terminal. */
    static Screen of(Object terminal) {
        return terminal instanceof Terminal t ? new TerminalScreen(t) : null;
    }

    @Override
    public boolean hasKeyboard() {
        return true;
    }

    @Override
    public void clear(PrintStream out) {
        if (dumb) {
            out.println();
            return;
        }
        out.flush();
        terminal.puts(InfoCmp.Capability.clear_screen);
        terminal.flush();
    }

    /**
     * Waits for a key. The end of the terminal's input, or a failure to read it, also ends
     * the wait with true: nothing could stop the view any more but Ctrl-C.
     */
    @Override
    public boolean awaitKey(Duration wait) throws InterruptedException {
        try {
            return terminal.reader().read(Math.max(1, wait.toMillis())) != NonBlockingReader.READ_EXPIRED;
        } catch (InterruptedIOException e) {
            throw new InterruptedException("interrupted while waiting for a key");
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        terminal.setAttributes(saved);
    }
}
