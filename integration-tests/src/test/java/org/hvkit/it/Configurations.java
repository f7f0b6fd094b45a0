package org.hvkit.it;

import java.io.IOException;

import org.osgi.service.cm.ConfigurationAdmin;

/** Factory configurations that a test class creates once and every test of it uses. */
final class Configurations {

    /** The IOThread factory PID. */
    static final String IOTHREAD_PID = "org.hvkit.aio.iothread";

    private Configurations() {
    }

    /**
     * Creates the factory configuration {@code alias} with these properties unless it exists.
     * Idempotent: the framework, and so the configuration, lives for the whole test class.
     */
    static void ensure(ConfigurationAdmin admin, String factoryPid, String alias, Object... keysAndValues)
            throws IOException {
        var configuration = admin.getFactoryConfiguration(factoryPid, alias, "?");
        if (configuration.getProperties() == null) {
            configuration.update(Dictionaries.of(keysAndValues));
        }
    }

    /** Ensures the IOThread {@code name}, with the default settings. */
    static void ensureIoThread(ConfigurationAdmin admin, String name) throws IOException {
        ensure(admin, IOTHREAD_PID, name, "name", name);
    }
}
