package org.hvkit.monitor.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of a command as Gogo hands them over when its own {@code @Parameter} matching
 * gave up (a missing or extra device, an unknown option, an option without its value), parsed
 * the same way so a command can either run or say in one sentence what is wrong. Accepts
 * {@code --name value} and fio's {@code --name=value}.
 *
 * <p>Thread-safety: not shared; one instance per command call.
 */
final class CommandLine {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private CommandLine() {
    }

    /**
     * Parses {@code arguments}; Gogo may have turned words into numbers, booleans or null,
     * which are taken as the words they were.
     *
     * @param flags the names of options without a value (all aliases)
     * @param options the names of options with a value (all aliases)
     * @throws IllegalArgumentException naming an unknown option or an option without a value
     */
    static CommandLine parse(List<?> arguments, Set<String> flags, Set<String> options) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < arguments.size(); i++) {
            String word = String.valueOf(arguments.get(i));
            int eq = word.indexOf('=');
            String name = word.startsWith("--") && eq > 0 ? word.substring(0, eq) : word;
            if (flags.contains(name) && name.equals(word)) {
                line.values.put(name, "true");
            } else if (options.contains(name)) {
                String value = null;
                if (eq > 0 && !name.equals(word)) {
                    value = word.substring(eq + 1);
                } else if (i + 1 < arguments.size() && !isName(String.valueOf(arguments.get(i + 1)), flags, options)) {
                    value = String.valueOf(arguments.get(++i));
                }
                if (value == null || value.isEmpty()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                line.values.put(name, value);
            } else if (word.startsWith("-") && word.length() > 1 && !isNumber(word)) {
                Set<String> known = new TreeSet<>(flags);
                known.addAll(options);
                throw new IllegalArgumentException("unknown option '" + word + "'; options: " + String.join(" ", known));
            } else {
                line.positionals.add(word);
            }
        }
        return line;
    }

    /** True if one of the names was given as a flag. */
    boolean flag(String... names) {
        return value(names) != null;
    }

    /** The value of the option given under one of the names, or {@code absent}. */
    String option(String absent, String... names) {
        String value = value(names);
        return value == null ? absent : value;
    }

    /** The words that are neither options nor their values, in order. */
    List<String> positionals() {
        return positionals;
    }

    /**
     * The one positional argument, named {@code what} in the sentence if there is none or more;
     * {@code choices} follows the sentence for a missing one (e.g. the devices there are).
     *
     * @throws IllegalArgumentException if there is not exactly one
     */
    String single(String what, String choices) {
        if (positionals.isEmpty()) {
            throw new IllegalArgumentException("missing " + what + "; " + choices);
        }
        if (positionals.size() > 1) {
            throw new IllegalArgumentException("one " + what + " only, not " + String.join(" ", positionals));
        }
        return positionals.get(0);
    }

    private String value(String... names) {
        for (String name : names) {
            String value = values.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static boolean isName(String word, Set<String> flags, Set<String> options) {
        int eq = word.indexOf('=');
        String name = word.startsWith("--") && eq > 0 ? word.substring(0, eq) : word;
        return flags.contains(name) || options.contains(name);
    }

    private static boolean isNumber(String word) {
        return word.chars().skip(1).allMatch(c -> c >= '0' && c <= '9' || c == '.');
    }
}
