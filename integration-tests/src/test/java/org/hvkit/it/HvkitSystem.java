package org.hvkit.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.ops4j.pax.exam.Option;

/**
 * The system under test, for every test class's {@code @Configuration}, and facts about the
 * distribution that the tests check.
 *
 * <p>The bundles are those that {@code bin/hvkit} starts at level 1, read from the
 * {@code conf/config.properties} of the distribution this reactor built (unpacked at
 * {@code hvkit.home}), so the tests and the distribution cannot drift apart. The Gogo shell
 * that the distribution starts at level 2 stays out: it would read the test JVM's standard
 * input. Tests run Gogo commands through {@link Gogo} instead.
 */
public final class HvkitSystem {

    private static final String FILEINSTALL = "felix.fileinstall.";

    private HvkitSystem() {
    }

    /**
     * The system with no configuration at all: FileInstall watches an empty directory, so
     * nothing reaches a test except through ConfigurationAdmin.
     */
    public static Option[] options() {
        return options(frameworkProperty(FILEINSTALL + "dir").value(workDirectory("fileinstall-").toString()));
    }

    /**
     * The system as {@code bin/hvkit} runs it: in a fresh home (framework property
     * {@code hvkit.home}) with a copy of the distribution's {@code etc/} and an empty
     * {@code deploy/}, and FileInstall configured as in {@code conf/config.properties}.
     */
    public static Option[] asLaunched() {
        Path home = workDirectory("home-");
        copyDirectory(distributionHome().resolve("etc"), home.resolve("etc"));
        createDirectory(home.resolve("deploy"));
        List<Option> options = new ArrayList<>();
        options.add(frameworkProperty("hvkit.home").value(home.toString()));
        Properties config = launcherConfig();
        for (String name : config.stringPropertyNames()) {
            if (name.startsWith(FILEINSTALL)) {
                String value = config.getProperty(name);
                // The launcher runs in its home; here relative paths must be made absolute.
                options.add(frameworkProperty(name).value(
                        name.equals(FILEINSTALL + "dir") ? home.resolve(value).toString() : value));
            }
        }
        return options(options.toArray(Option[]::new));
    }

    /** The unpacked distribution: {@code bin/hvkit}, {@code bundle/}, {@code conf/}, {@code etc/} ... */
    static Path distributionHome() {
        return Path.of(requiredProperty("hvkit.home"));
    }

    /** The jars that {@code bin/hvkit} starts at {@code startLevel}. */
    static List<Path> bundlesOfLevel(int startLevel) {
        String key = "felix.auto.start." + startLevel;
        String locations = Objects.requireNonNull(launcherConfig().getProperty(key), key);
        List<Path> jars = new ArrayList<>();
        for (String location : locations.trim().split("\\s+")) {
            // The launcher runs in hvkit's home: "file:bundle/x.jar" is relative to it.
            jars.add(distributionHome().resolve(location.substring("file:".length())));
        }
        return jars;
    }

    /** A new directory under the module's build directory. */
    static Path workDirectory(String prefix) {
        try {
            Path work = Files.createDirectories(Path.of(requiredProperty("hvkit.it.work")));
            return Files.createTempDirectory(work, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Option[] options(Option... configuration) {
        List<Option> options = new ArrayList<>(List.of(configuration));
        options.add(junitBundles());
        for (Path jar : bundlesOfLevel(1)) {
            options.add(bundle(jar.toUri().toString()));
        }
        return options.toArray(Option[]::new);
    }

    private static Properties launcherConfig() {
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(distributionHome().resolve("conf/config.properties"))) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    private static void copyDirectory(Path from, Path to) {
        createDirectory(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requiredProperty(String name) {
        return Objects.requireNonNull(System.getProperty(name),
                name + " is not set: run the integration tests through Maven (failsafe sets it)");
    }
}
