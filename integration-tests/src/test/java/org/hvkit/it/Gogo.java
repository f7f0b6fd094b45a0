package org.hvkit.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs Gogo commands as the interactive shell does and returns what a user would see, so
 * shell tests read like a session.
 *
 * <p>Thread-safety: any thread; each call has a session of its own.
 */
public final class Gogo {

    private final CommandProcessor processor;

    public Gogo(CommandProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /**
     * Runs {@code command} (a Gogo script: pipes and {@code ;} work) with no input.
     *
     * @return what the command printed, then its result formatted the way the shell prints
     *         it (commands such as {@code lb} and {@code scr:list} return their tables)
     * @throws Exception what the command threw: a test fails on it rather than on missing output
     */
    public String run(String command) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs a command that must answer with exactly one line (a usage error, a change made).
     *
     * @return that line
     * @throws AssertionError if the command printed no line or more than one
     * @throws Exception what the command threw
     */
    public String oneLine(String command) throws Exception {
        return onlyLine(command, run(command));
    }

    /**
     * The one line of a command's output; Gogo's own line end after a result does not count.
     *
     * @throws AssertionError if there is no line or more than one
     */
    public static String onlyLine(String command, String output) {
        List<String> lines = output.stripTrailing().lines().toList();
        if (lines.size() != 1) {
            throw new AssertionError(command + " printed " + lines.size() + " lines, not one:\n" + output);
        }
        return lines.get(0);
    }
}
