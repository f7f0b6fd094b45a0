package org.hvkit.aio.impl;

import java.util.HashSet;
import java.util.Set;

/**
 * The names of the contexts this bundle runs, so that two IOThreads never share a name.
 *
 * <p>Thread-safety: any thread; one monitor.
 */
final class ContextNames {

    private static final Set<String> TAKEN = new HashSet<>();

    private ContextNames() {
    }

    static synchronized void claim(String name) {
        if (!TAKEN.add(name)) {
            throw new IllegalArgumentException("a context named '" + name + "' already exists");
        }
    }

    static synchronized void release(String name) {
        TAKEN.remove(name);
    }
}
