package org.hvkit.aio.impl;

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

    /**
     * Checks a configuration.
     *
     * @param config the configuration as DS gives it
     * @param bundle the implementation bundle, whose default scheduler applies when none is configured
     * @throws IllegalArgumentException naming the IOThread and the bad property
     */
    static IoThreadSettings from(IoThreadConfig config, Bundle bundle) {
        String name = config.name() == null ? "" : config.name().trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("IOThread configuration needs a non-empty 'name'");
        }
        if (AioContext.MAIN.equals(name)) {
            throw new IllegalArgumentException("IOThread name 'main' is reserved for the main context");
        }
        // No scheduler in the configuration means the bundle's default, so that a build with
        // another default (see Schedulers.DEFAULT_HEADER) changes these IOThreads too.
        String scheduler = config.scheduler() == null ? Schedulers.defaultOf(bundle) : config.scheduler().trim();
        if (!Schedulers.NAMES.contains(scheduler)) {
            throw new IllegalArgumentException("IOThread '" + name + "': unknown scheduler '"
                    + scheduler + "'; choose sliced or linear");
        }
        if (config.aio_max_batch() < 0) {
            throw new IllegalArgumentException("IOThread '" + name + "': aio.max.batch must be 0 or more");
        }
        IoThreadSettings settings = new IoThreadSettings(name, scheduler, config.poll_max_ns(), config.poll_grow(),
                config.poll_shrink(), config.aio_max_batch());
        try {
            settings.polling();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("IOThread '" + name + "': " + e.getMessage(), e);
        }
        return settings;
    }

    /** A fresh polling state with these parameters: each loop adapts its own window. */
    AdaptivePolling polling() {
        return new AdaptivePolling(pollMaxNs, pollGrow, pollShrink);
    }
}
