package org.hvkit.monitor.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hvkit.aio.AioContext;

/**
 * The properties of an IOThread's factory configuration (PID {@value #PID}, see aio.impl's
 * IoThreadConfig) as a user types them: an IOThread name, and {@code key=value} pairs checked
 * against the known keys, so that a typo is refused here with one sentence rather than
 * ignored by the configuration or failing the IOThread's activation in the log.
 *
 * <p>Thread-safety: any thread; stateless.
 */
final class IoThreadSettings {

    /** The IOThread factory PID. */
    static final String PID = "org.hvkit.aio.iothread";

    /** The property holding the IOThread's (and its context's) name. */
    static final String NAME = "name";

    /** The property holding the BH scheduler's name. */
    static final String SCHEDULER = "scheduler";

    /** The schedulers aio.impl knows. */
    static final List<String> SCHEDULERS = List.of("sliced", "linear");

    /** The keys a user may set, in the order the metatype lists them. */
    static final List<String> KEYS = List.of(SCHEDULER, "poll.max.ns", "poll.grow", "poll.shrink", "aio.max.batch");

    // A thread name and a shell word: no blanks, nothing the Gogo parser or an LDAP filter treats specially.
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private IoThreadSettings() {
    }

    /**
     * A name for a new IOThread.
     *
     * @throws IllegalArgumentException if it is {@code main} or not letters, digits, '.', '_', '-'
     */
    static String newName(String text) {
        if (AioContext.MAIN.equals(text)) {
            throw new IllegalArgumentException("'main' is reserved for the main context");
        }
        if (!NAME_PATTERN.matcher(text).matches()) {
            throw new IllegalArgumentException("an IOThread name is 1 to 64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit, not '" + text + "'");
        }
        return text;
    }

    /**
     * A scheduler's name.
     *
     * @throws IllegalArgumentException if it is not one of {@link #SCHEDULERS}
     */
    static String scheduler(String text) {
        if (!SCHEDULERS.contains(text)) {
            throw new IllegalArgumentException("unknown scheduler '" + text + "'; choose "
                    + String.join(" or ", SCHEDULERS));
        }
        return text;
    }

    /**
     * The properties that {@code key=value} pairs give: the scheduler as a String, the rest as
     * Longs of 0 or more, in the order given.
     *
     * @throws IllegalArgumentException for the first pair that is malformed, repeated, has an
     *         unknown key (the sentence lists the keys) or a bad value
     */
    static Map<String, Object> parse(List<String> pairs) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, not '" + pair + "'; keys: " + keys());
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (properties.containsKey(key)) {
                throw new IllegalArgumentException(key + " is given twice");
            }
            properties.put(key, value(key, value));
        }
        return properties;
    }

    private static Object value(String key, String value) {
        if (NAME.equals(key)) {
            throw new IllegalArgumentException("the name is the IOThread's identity and cannot be set;"
                    + " keys: " + keys());
        }
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown key '" + key + "'; keys: " + keys());
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " needs a value");
        }
        return SCHEDULER.equals(key) ? scheduler(value) : Args.longIn(key, value, 0, Long.MAX_VALUE);
    }

    private static String keys() {
        return String.join(", ", KEYS);
    }
}
