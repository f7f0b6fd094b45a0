package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hvkit.block.virtio.backend.RamBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceSettingsTest {

    @TempDir
    Path dir;

    /** The settings of device {@code disk0} with the given overrides. */
    private static DeviceSettings settings(Object... keysAndValues) {
        return DeviceSettings.from(config(keysAndValues));
    }

    private static VirtioBlkConfiguration config(Object... keysAndValues) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("id", "disk0");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            overrides.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Configurations.of(overrides);
    }

    private static void assertRejected(VirtioBlkConfiguration config, String problem) {
        assertThatThrownBy(() -> DeviceSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("virtio-blk 'disk0': ")
                .hasMessageContaining(problem);
    }

    private Path image(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        }
        return path;
    }

    // --- id

    @Test
    void shouldRejectAMissingId() {
        Map<String, Object> noId = new HashMap<>();
        noId.put("id", null);

        assertThatThrownBy(() -> DeviceSettings.from(Configurations.of(noId)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an 'id' without spaces, got 'null'");
    }

    @Test
    void shouldRejectABlankId() {
        assertThatThrownBy(() -> DeviceSettings.from(Configurations.withId("   ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an 'id' without spaces, got '   '");
    }

    @Test
    void shouldRejectAnIdWithSpaces() {
        assertThatThrownBy(() -> DeviceSettings.from(Configurations.withId("my disk")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an 'id' without spaces, got 'my disk'");
    }

    @Test
    void shouldTrimTheId() {
        assertThat(DeviceSettings.from(Configurations.of(Map.of("id", " disk0 ", "capacity", "1M"))).id())
                .isEqualTo("disk0");
    }

    // --- num.queues

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1025})
    void shouldRejectAQueueCountOutsideOneTo1024(int numQueues) {
        assertRejected(config("num_queues", numQueues, "capacity", "1M"),
                "num.queues must be 1 to 1024, got " + numQueues);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1024})
    void shouldAcceptAQueueCountAtEitherEnd(int numQueues) {
        assertThat(settings("num_queues", numQueues, "capacity", "1M").numQueues()).isEqualTo(numQueues);
    }

    // --- queue.size

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 100, 65536, 32767, -4})
    void shouldRejectAQueueSizeThatIsNoPowerOfTwoFrom4To32768(int queueSize) {
        assertRejected(config("queue_size", queueSize, "capacity", "1M"),
                "queue.size must be a power of two from 4 to 32768, got " + queueSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 32768})
    void shouldAcceptAQueueSizeAtEitherEnd(int queueSize) {
        assertThat(settings("queue_size", queueSize, "capacity", "1M").queueSize()).isEqualTo(queueSize);
    }

    // --- drain.timeout.ms

    @Test
    void shouldDrainForFiveSecondsByDefault() {
        assertThat(settings("capacity", "1M").drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 250, 600_000})
    void shouldAcceptADrainTimeoutFromOneMillisecondToTenMinutes(int millis) {
        assertThat(settings("drain_timeout_ms", millis, "capacity", "1M").drainTimeout())
                .isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 600_001})
    void shouldRejectADrainTimeoutOutsideOneMillisecondToTenMinutes(int millis) {
        assertRejected(config("drain_timeout_ms", millis, "capacity", "1M"),
                "drain.timeout.ms must be 1 to 600000, got " + millis);
    }

    // --- backend and capacity

    @ParameterizedTest
    @ValueSource(strings = {"qcow2", "RAM", ""})
    void shouldRejectAnUnknownBackendListingTheKnownOnes(String backend) {
        assertRejected(config("backend", backend, "capacity", "1M"),
                "unknown backend '" + backend + "'; choose null, ram, file");
    }

    @Test
    void shouldRejectANullBackendValueListingTheKnownOnes() {
        assertRejected(config("backend", null, "capacity", "1M"), "unknown backend ''; choose null, ram, file");
    }

    @Test
    void shouldRejectARamBackendWithoutCapacity() {
        assertRejected(config("backend", "ram"), "the ram backend needs a capacity");
    }

    @Test
    void shouldRejectARamBackendLargerThanOneHeapBuffer() {
        assertRejected(config("backend", "ram", "capacity", "2G"),
                "the ram backend holds at most " + RamBackend.MAX_CAPACITY + " bytes, 2G was asked for");
    }

    @Test
    void shouldAcceptARamBackendOfExactlyTheLargestCapacity() {
        DeviceSettings s = settings("backend", "ram", "capacity", Long.toString(RamBackend.MAX_CAPACITY));

        assertThat(s.backend()).isEqualTo(BackendKind.RAM);
        assertThat(s.capacity()).isEqualTo(RamBackend.MAX_CAPACITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000", "513", "0"})
    void shouldRejectACapacityThatIsNoPositiveMultipleOf512(String capacity) {
        assertRejected(config("capacity", capacity),
                "capacity must be a positive multiple of 512 bytes, got " + capacity);
    }

    @Test
    void shouldRejectANegativeCapacity() {
        assertRejected(config("capacity", "-512"), "'-512' is not a size");
    }

    @Test
    void shouldRejectAGarbageCapacity() {
        assertRejected(config("capacity", "lots"), "'lots' is not a size");
    }

    @Test
    void shouldRejectACapacityTooLargeForALong() {
        assertRejected(config("backend", "null", "capacity", "9999999999T"), "'9999999999T' is too large a size");
    }

    @Test
    void shouldGiveTheNullBackendOneGibibyteByDefault() {
        DeviceSettings s = settings("backend", "null");

        assertThat(s.backend()).isEqualTo(BackendKind.NULL);
        assertThat(s.capacity()).isEqualTo(1L << 30);
        assertThat(s.path()).isNull();
    }

    @Test
    void shouldGiveTheNullBackendItsConfiguredCapacity() {
        assertThat(settings("backend", "null", "capacity", "1T").capacity()).isEqualTo(1L << 40);
    }

    @Test
    void shouldAcceptABackendNameWithSurroundingSpaces() {
        assertThat(settings("backend", " null ").backend()).isEqualTo(BackendKind.NULL);
    }

    // --- file backend

    @Test
    void shouldRejectAFileBackendWithoutPath() {
        assertRejected(config("backend", "file"), "the file backend needs a path");
        assertRejected(config("backend", "file", "path", "  "), "the file backend needs a path");
    }

    @Test
    void shouldRejectAMissingFile() {
        Path missing = dir.resolve("missing.img");

        assertRejected(config("backend", "file", "path", missing.toString()), "no such file: " + missing);
    }

    @Test
    void shouldRejectADirectory() {
        assertRejected(config("backend", "file", "path", dir.toString()), "not a regular file: " + dir);
    }

    @Test
    void shouldRejectAnEmptyFile() throws IOException {
        Path empty = image("empty.img", 0);

        assertRejected(config("backend", "file", "path", empty.toString()),
                empty + " has 0 bytes, not a positive multiple of 512");
    }

    @Test
    void shouldRejectAFileWhoseSizeIsNoMultipleOf512() throws IOException {
        Path odd = image("odd.img", 1000);

        assertRejected(config("backend", "file", "path", odd.toString()),
                odd + " has 1000 bytes, not a positive multiple of 512");
    }

    @Test
    void shouldRejectACapacityThatDiffersFromTheFileSize() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        assertRejected(config("backend", "file", "path", disk.toString(), "capacity", "2M"),
                "capacity mismatch: " + disk + " has 1048576 bytes, capacity says 2097152");
    }

    @Test
    void shouldTakeTheFileSizeAsCapacity() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        DeviceSettings s = settings("backend", "file", "path", " " + disk + " ");

        assertThat(s.backend()).isEqualTo(BackendKind.FILE);
        assertThat(s.path()).isEqualTo(disk);
        assertThat(s.capacity()).isEqualTo(1 << 20);
        assertThat(s.readOnly()).isFalse();
    }

    @Test
    void shouldAcceptACapacityThatMatchesTheFileSize() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        assertThat(settings("backend", "file", "path", disk.toString(), "capacity", "1M").capacity())
                .isEqualTo(1 << 20);
    }

    @Test
    void shouldRejectAReadOnlyFileUnlessReadOnlyIsSet() throws IOException {
        Path disk = readOnlyImage();
        assumeFalse(Files.isWritable(disk), "r--r--r-- is still writable for this user (root)");

        assertRejected(config("backend", "file", "path", disk.toString()),
                disk + " is read-only; set read.only=true to use it so");
    }

    @Test
    void shouldAcceptAReadOnlyFileWithReadOnlySet() throws IOException {
        Path disk = readOnlyImage();

        DeviceSettings s = settings("backend", "file", "path", disk.toString(), "read_only", true);

        assertThat(s.readOnly()).isTrue();
        assertThat(s.capacity()).isEqualTo(1 << 20);
    }

    /** A 1 MiB image with mode r--r--r-- (still writable for root). */
    private Path readOnlyImage() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "needs POSIX permissions");
        Path disk = image("ro.img", 1 << 20);
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("r--r--r--"));
        return disk;
    }

    // --- mapping

    @Test
    void shouldMapAllQueuesToTheMainContextWhenTheMappingIsEmpty() {
        DeviceSettings s = settings("capacity", "1M", "num_queues", 3);

        assertThat(s.mapping()).containsExactly("main");
        assertThat(s.contextOf(0)).isEqualTo("main");
        assertThat(s.contextOf(2)).isEqualTo("main");
    }

    @Test
    void shouldRejectAnIoThreadListedTwice() {
        assertRejected(config("capacity", "1M", "iothread_vq_mapping", new String[] {"io0", "io1", " io0"}),
                "IOThread 'io0' is listed twice in iothread.vq.mapping");
    }

    @Test
    void shouldRejectABlankIoThreadName() {
        assertRejected(config("capacity", "1M", "iothread_vq_mapping", new String[] {"io0", " "}),
                "iothread.vq.mapping has an empty name");
    }

    @Test
    void shouldAssignQueuesToTheMappingRoundRobin() {
        DeviceSettings s = settings("capacity", "1M", "num_queues", 5,
                "iothread_vq_mapping", new String[] {"io0", " io1 "});

        assertThat(s.mapping()).containsExactly("io0", "io1");
        assertThat(s.contextOf(0)).isEqualTo("io0");
        assertThat(s.contextOf(1)).isEqualTo("io1");
        assertThat(s.contextOf(2)).isEqualTo("io0");
        assertThat(s.contextOf(3)).isEqualTo("io1");
        assertThat(s.contextOf(4)).isEqualTo("io0");
    }

    // --- serial

    @Test
    void shouldRejectAnExplicitSerialLongerThan20Bytes() {
        assertRejected(config("capacity", "1M", "serial", "ABCDEFGHIJKLMNOPQRSTU"),
                "serial must be at most 20 bytes, got 'ABCDEFGHIJKLMNOPQRSTU'");
    }

    @Test
    void shouldCountTheSerialInUtf8BytesNotCharacters() {
        String elevenTwoByteChars = "\u00e9".repeat(11);

        assertRejected(config("capacity", "1M", "serial", elevenTwoByteChars),
                "serial must be at most 20 bytes");
    }

    @Test
    void shouldAcceptASerialOfExactly20Bytes() {
        assertThat(settings("capacity", "1M", "serial", "ABCDEFGHIJKLMNOPQRST").serial())
                .isEqualTo("ABCDEFGHIJKLMNOPQRST");
    }

    @Test
    void shouldDefaultTheSerialToTheId() {
        assertThat(settings("capacity", "1M").serial()).isEqualTo("disk0");
        assertThat(settings("capacity", "1M", "serial", "  ").serial()).isEqualTo("disk0");
    }

    @Test
    void shouldKeepALongIdAsDefaultSerial() {
        String id = "a-device-id-longer-than-twenty-bytes";

        assertThat(DeviceSettings.from(Configurations.of(Map.of("id", id, "capacity", "1M"))).serial())
                .isEqualTo(id);
    }
}
