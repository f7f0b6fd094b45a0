package org.hvkit.monitor.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The IOThreads' factory configurations (PID {@value IoThreadSettings#PID}) in
 * ConfigurationAdmin, found by their {@code name} property, whatever made them: FileInstall
 * from {@code etc/} or these commands.
 *
 * <p>Changes last until hvkit restarts: FileInstall's write-back to {@code etc/} is off in the
 * distribution, and the framework cache, which holds ConfigurationAdmin's copy, is cleaned
 * at each start ({@code org.osgi.framework.storage.clean=onFirstInit}), so only {@code etc/}
 * comes back.
 *
 * <p>Thread-safety: any thread; ConfigurationAdmin is thread-safe, and this class holds no
 * state of its own. Two sessions changing one IOThread at once each apply their update;
 * the last one wins, as with any ConfigurationAdmin client.
 */
@Component(service = IoThreadConfigs.class)
public final class IoThreadConfigs {

    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public IoThreadConfigs(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /** Every IOThread configuration that has a name, sorted by it. */
    List<Configuration> all() {
        List<Configuration> named = new ArrayList<>();
        for (Configuration configuration : list()) {
            if (nameOf(configuration) != null) {
                named.add(configuration);
            }
        }
        named.sort(Comparator.comparing(IoThreadConfigs::nameOf));
        return named;
    }

    /** The configuration of the IOThread with this name, if there is one. */
    Optional<Configuration> named(String name) {
        return all().stream().filter(c -> name.equals(nameOf(c))).findFirst();
    }

    /**
     * Creates the configuration of a new IOThread: a factory configuration with the name as
     * its alias, bound to no bundle in particular (location {@code ?}) like FileInstall's.
     *
     * @throws IllegalArgumentException if a configuration with that alias exists already
     */
    void create(String name, Map<String, Object> settings) {
        try {
            Configuration configuration = configurationAdmin.getFactoryConfiguration(IoThreadSettings.PID, name, "?");
            if (configuration.getProperties() != null) {
                throw new IllegalArgumentException("a configuration " + configuration.getPid() + " exists already");
            }
            Dictionary<String, Object> properties = new Hashtable<>(settings);
            properties.put(IoThreadSettings.NAME, name);
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code settings} into the configuration, keeping its other properties. */
    static void update(Configuration configuration, Map<String, Object> settings) {
        Dictionary<String, Object> properties = configuration.getProperties();
        settings.forEach(properties::put);
        try {
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the configuration, which stops its IOThread. */
    static void delete(Configuration configuration) {
        try {
            configuration.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration's {@code name} property, or null if it has none. */
    static String nameOf(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object name = properties == null ? null : properties.get(IoThreadSettings.NAME);
        return name == null ? null : name.toString().trim();
    }

    /** The configuration's value of {@code key}, or null if it does not set it. */
    static Object valueOf(Configuration configuration, String key) {
        Dictionary<String, Object> properties = configuration.getProperties();
        return properties == null ? null : properties.get(key);
    }

    private Configuration[] list() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + IoThreadSettings.PID + ")");
            return found == null ? new Configuration[0] : found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the filter of a constant PID is valid", e);
        }
    }
}
