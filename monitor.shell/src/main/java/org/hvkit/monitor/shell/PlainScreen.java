package org.hvkit.monitor.shell;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A screen without a keyboard: output goes on line after line and only time ends a wait.
 *
 * <p>Thread-safety: one command's thread.
 */
final class PlainScreen implements Screen {

    private boolean first = true;

    @Override
    public boolean hasKeyboard() {
        return false;
    }

    @Override
    public void clear(PrintStream out) {
        // A stream is not a screen: refreshes are separated by a blank line instead.
        if (!first) {
            out.println();
        }
        first = false;
    }

    @Override
    public boolean awaitKey(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        return false;
    }

    @Override
    public void close() {
        // Nothing was changed.
    }
}
