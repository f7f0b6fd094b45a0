package org.hvkit.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.ops4j.pax.exam.Option;

/**
 * The system under test, for every test class's {@code @Configuration}.
 *
 * <p>The bundles are those that {@code bin/hvkit} starts at level 1, read from the
 * {@code conf/config.properties} of the distribution this reactor built (unpacked at
 * {@code hvkit.home}), so the tests and the distribution cannot drift apart. The Gogo shell
 * that the distribution starts at level 2 stays out: it would read the test JVM's standard
 * input. Tests run Gogo commands through {@link Gogo} instead.
 */
public final class HvkitSystem {

    private static final String LEVEL_ONE = "felix.auto.start.1";

    private HvkitSystem() {
    }

    public static Option[] options() {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        // FileInstall is part of the system; it gets an empty directory of its own so that
        // no configuration reaches a test except through ConfigurationAdmin.
        options.add(frameworkProperty("felix.fileinstall.dir").value(emptyDirectory().toString()));
        for (Path jar : levelOneBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        return options.toArray(Option[]::new);
    }

    static List<Path> levelOneBundles() {
        Path home = Path.of(requiredProperty("hvkit.home"));
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(home.resolve("conf/config.properties"))) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String locations = Objects.requireNonNull(config.getProperty(LEVEL_ONE), LEVEL_ONE);
        List<Path> jars = new ArrayList<>();
        for (String location : locations.trim().split("\\s+")) {
            // The launcher runs in hvkit's home: "file:bundle/x.jar" is relative to it.
            jars.add(home.resolve(location.substring("file:".length())));
        }
        return jars;
    }

    private static Path emptyDirectory() {
        try {
            Path work = Files.createDirectories(Path.of(requiredProperty("hvkit.it.work")));
            return Files.createTempDirectory(work, "fileinstall-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requiredProperty(String name) {
        return Objects.requireNonNull(System.getProperty(name),
                name + " is not set: run the integration tests through Maven (failsafe sets it)");
    }
}
