package org.hvkit.aio.impl;

import java.util.Map;
import org.hvkit.aio.AioContext;
import org.osgi.framework.Bundle;

/**
 * An IOThread configuration, checked: every field valid, or one clear exception naming the
 * IOThread. Two equal settings make the same IOThread, so an update that changes nothing
 * leaves the running one alone.
 *
 * @param name the context's name, not empty and not {@code main}
 * @param scheduler the scheduler's name, one of {@link Schedulers#NAMES}
 * @param pollMaxNs the polling window's limit
 * @param pollGrow the polling window's growth factor
 * @param pollShrink the polling window's shrink divisor
 * @param aioMaxBatch the batch hint published with the service
 */
record IoThreadSettings(String name, String scheduler, long pollMaxNs, long pollGrow, long pollShrink,
        long aioMaxBatch) {

    /** The configuration's keys; {@link IoThreadConfig} describes each for Metatype. */
    static final String NAME = "name";
    static final String SCHEDULER = "scheduler";
    static final String POLL_MAX_NS = "poll.max.ns";
    static final String POLL_GROW = "poll.grow";
    static final String POLL_SHRINK = "poll.shrink";
    static final String AIO_MAX_BATCH = "aio.max.batch";

    /** QEMU's default poll-max-ns. */
    static final long DEFAULT_POLL_MAX_NS = 32_768;

    /**
     * Checks a configuration. The properties are read as they are, not through a component
     * property type: DS would generate that type's proxy class again for every new build of
     * this bundle, while the devices wait for the first IOThread (DESIGN §6).
     *
     * @param properties the configuration's properties as DS gives them; numbers may be
     *     integral {@link Number}s or decimal strings, and an absent key takes its default
     * @param bundle the implementation bundle, whose default scheduler applies when none is configured
     * @throws IllegalArgumentException naming the IOThread and the bad property
     */
    static IoThreadSettings from(Map<String, ?> properties, Bundle bundle) {
        String name = stringOf(properties, NAME, "IOThread configuration");
        name = name == null ? "" : name.trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("IOThread configuration needs a non-empty 'name'");
        }
        if (AioContext.MAIN.equals(name)) {
            throw new IllegalArgumentException("IOThread name 'main' is reserved for the main context");
        }
        String subject = "IOThread '" + name + "'";
        String configured = stringOf(properties, SCHEDULER, subject);
        // No scheduler in the configuration means the bundle's default, so that a build with
        // another default (see Schedulers.DEFAULT_HEADER) changes these IOThreads too.
        String scheduler = configured == null ? Schedulers.defaultOf(bundle) : configured.trim();
        if (!Schedulers.NAMES.contains(scheduler)) {
            throw new IllegalArgumentException(subject + ": unknown scheduler '" + scheduler
                    + "'; choose sliced or linear");
        }
        long aioMaxBatch = longOf(properties, AIO_MAX_BATCH, 0, subject);
        if (aioMaxBatch < 0) {
            throw new IllegalArgumentException(subject + ": aio.max.batch must be 0 or more");
        }
        IoThreadSettings settings = new IoThreadSettings(name, scheduler,
                longOf(properties, POLL_MAX_NS, DEFAULT_POLL_MAX_NS, subject), longOf(properties, POLL_GROW, 0, subject),
                longOf(properties, POLL_SHRINK, 0, subject), aioMaxBatch);
        try {
            settings.polling();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(subject + ": " + e.getMessage(), e);
        }
        return settings;
    }

    private static String stringOf(Map<String, ?> properties, String key, String subject) {
        Object value = properties.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(subject + ": " + key + " must be a string, not " + describe(value));
    }

    private static long longOf(Map<String, ?> properties, String key, long absent, String subject) {
        Object value = properties.get(key);
        if (value == null) {
            return absent;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // Reported below, as for any other value that is not a whole number.
            }
        }
        throw new IllegalArgumentException(subject + ": " + key + " must be a whole number, not " + describe(value));
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value.getClass().getSimpleName() + " " + value;
    }

    /** A fresh polling state with these parameters: each loop adapts its own window. */
    AdaptivePolling polling() {
        return new AdaptivePolling(pollMaxNs, pollGrow, pollShrink);
    }
}
