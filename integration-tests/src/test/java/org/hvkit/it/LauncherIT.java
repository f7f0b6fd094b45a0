package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * {@code bin/hvkit} of the distribution tarball starts the whole system without a terminal,
 * from another working directory, on the JDK that runs the tests and on every JDK home listed
 * in the system property {@code hvkit.it.jdks} (comma-separated).
 */
@RunWith(Parameterized.class)
public class LauncherIT {

    /** Felix starts in about 3 s here; a hung launcher fails the test instead of the build. */
    private static final long TIMEOUT_S = 60;

    private static final String SESSION = "--nointeractive -c format (lb -s); format (scr:list); stop 0";

    @Parameter
    public String javaHome;

    @Parameters(name = "{0}")
    public static List<Object[]> javaHomes() {
        List<Object[]> homes = new ArrayList<>();
        homes.add(new Object[] {System.getProperty("java.home")});
        for (String home : System.getProperty("hvkit.it.jdks", "").split(",")) {
            if (!home.isBlank()) {
                homes.add(new Object[] {home.trim()});
            }
        }
        return homes;
    }

    @Test
    public void shouldStartEveryBundleAndComponentWithoutATerminal() throws Exception {
        String output = launch("-Dgosh.args=" + SESSION);

        List<String> bundles = output.lines().filter(line -> line.matches("\\s*\\d+\\|.*")).toList();
        int system = 1;
        assertEquals(output, system + HvkitSystem.bundlesOfLevel(1).size() + HvkitSystem.bundlesOfLevel(2).size(),
                bundles.size());
        for (String bundle : bundles) {
            assertTrue(output, bundle.contains("|Active "));
            int expectedLevel = bundle.contains("|org.apache.felix.framework (") ? 0
                    : bundle.contains("|org.apache.felix.gogo.jline (") ? 2 : 1;
            assertTrue(output, bundle.matches("[^|]*\\|[^|]*\\|\\s*" + expectedLevel + "\\|.*"));
        }
        assertTrue(output, output.contains("(org.hvkit.aio.impl:"));
        assertFalse(output, output.contains("UNSATISFIED"));
        assertFalse(output, output.contains("FAILED"));
        // The launcher's JVM flags keep JDK 24+ (Unsafe, native access) and JLine quiet.
        assertFalse(output, output.contains("WARNING"));
    }

    /**
     * The operator's line of DESIGN §6 at the real prompt, where gogo.jline turns the symbolic
     * name into the bundle: after {@code update}, the second build runs and the main context
     * has its default scheduler. ImplUpdateIT checks the swap itself in detail.
     */
    @Test
    public void shouldUpdateAioImplWithTheVariantFromThePrompt() throws Exception {
        Path variant = Path.of(System.getProperty("hvkit.it.aio.impl.variant"));

        String output = launch("-Dgosh.args=--nointeractive -c update org.hvkit.aio.impl " + variant.toUri()
                + "; format (lb -s org.hvkit.aio.impl); format (aio:contexts); stop 0");

        assertTrue(output, output.lines().anyMatch(line -> line.contains("|Active ")
                && line.contains("|org.hvkit.aio.impl (0.1.0.variant)")));
        assertTrue(output, output.lines().anyMatch(line -> line.startsWith("main ") && line.contains(" linear ")));
        assertFalse(output, output.contains("Unable"));
    }

    /** Runs bin/hvkit with {@code jvmOptions} and no standard input; returns its output. */
    private String launch(String... jvmOptions) throws Exception {
        Path work = HvkitSystem.workDirectory("launcher-");
        Path log = work.resolve("output.txt");
        List<String> command = new ArrayList<>();
        command.add(HvkitSystem.distributionHome().resolve("bin/hvkit").toString());
        command.addAll(List.of(jvmOptions));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertTrue("bin/hvkit still ran after " + TIMEOUT_S + " s:\n" + output, exited);
        assertEquals(output, 0, process.exitValue());
        return output;
    }
}
