package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged writes survive the death of the process: a device on a file backend runs in
 * another JVM, writing verify blocks and flushing; right after a number of flushes were
 * acknowledged that JVM is killed with SIGKILL, mid-write. A new device on the same file
 * (the restart) must then read back every block of every acknowledged generation intact.
 */
@EnabledOnOs(OS.LINUX)
class DurabilityTest {

    /** Acknowledged flushes to wait for before the kill. */
    private static final int ACKS_BEFORE_KILL = 200;
    private static final long WRITER_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedWriteAcrossASigkill() throws Exception {
        Path image = dir.resolve("durable.img");
        Process writer = startWriter(image);
        long lastAcknowledged = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastAcknowledged + 1 < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("ACK ")) {
                    lastAcknowledged = Long.parseLong(line.substring(4));
                }
            }
            // Process.destroyForcibly is SIGKILL on Linux: no shutdown hook, no finaliser, no
            // close of the channel; the writer is in the middle of its next batch.
            writer.destroyForcibly();
            assertThat(writer.waitFor(WRITER_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }
        assertThat(lastAcknowledged).as("flushes acknowledged before the kill; writer said %s", output)
                .isEqualTo(ACKS_BEFORE_KILL - 1);
        assertThat(writer.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);

        try (FileDisk restarted = new FileDisk(image)) {
            for (long generation = 0; generation <= lastAcknowledged; generation++) {
                assertThat(restarted.countMatching(generation * FileDisk.BATCH, generation))
                        .as("intact blocks of acknowledged generation %d", generation)
                        .isEqualTo(FileDisk.BATCH);
            }
        }
    }

    private static Process startWriter(Path image) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire's class path (a manifest-only jar under Maven) names the test and main classes.
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DurabilityWriter.class.getName(), image.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
