package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.FileBackend;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.backend.RamBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {

    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    private AioContext context;

    @BeforeEach
    void setUp() {
        context = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow().create("t");
    }

    @AfterEach
    void tearDown() {
        context.close();
    }

    private static DeviceSettings settings(Object... keysAndValues) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("id", "disk0");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            overrides.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return DeviceSettings.from(Configurations.of(overrides));
    }

    private Path image(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        resize(path, size);
        return path;
    }

    private static void resize(Path path, long size) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        }
    }

    /** The descriptors of this process open on {@code path}, read from /proc (Linux only). */
    private static List<Path> descriptorsOn(Path path) throws IOException {
        Path real = path.toRealPath();
        List<Path> open = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(OPEN_FILES)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        open.add(fd);
                    }
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor, or one closed since: not on the file.
                }
            }
        }
        return open;
    }

    @Test
    void shouldOpenANullBackendOfTheSettingsCapacity() {
        BlockBackend backend = Backends.open(settings("backend", "null"), context);

        assertThat(backend).isInstanceOf(NullBackend.class);
        assertThat(backend.capacity()).isEqualTo(1L << 30);
        assertThat(backend.isReadOnly()).isFalse();
    }

    @Test
    void shouldOpenAReadOnlyNullBackend() {
        BlockBackend backend = Backends.open(settings("backend", "null", "capacity", "4M", "read_only", true), null);

        assertThat(backend.capacity()).isEqualTo(4L << 20);
        assertThat(backend.isReadOnly()).isTrue();
    }

    @Test
    void shouldOpenARamBackendOfTheSettingsCapacity() {
        BlockBackend backend = Backends.open(settings("backend", "ram", "capacity", "1M"), context);

        assertThat(backend).isInstanceOf(RamBackend.class);
        assertThat(backend.capacity()).isEqualTo(1L << 20);
        assertThat(backend.isReadOnly()).isFalse();
    }

    @Test
    void shouldOpenAReadOnlyRamBackend() {
        BlockBackend backend = Backends.open(settings("backend", "ram", "capacity", "64K", "read_only", true),
                context);

        assertThat(backend.capacity()).isEqualTo(64L << 10);
        assertThat(backend.isReadOnly()).isTrue();
    }

    @Test
    void shouldOpenAFileBackendOnTheFile() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        BlockBackend backend = Backends.open(settings("backend", "file", "path", disk.toString()), context);
        try {
            assertThat(backend).isInstanceOf(FileBackend.class);
            assertThat(((FileBackend) backend).path()).isEqualTo(disk);
            assertThat(backend.capacity()).isEqualTo(1L << 20);
            assertThat(backend.isReadOnly()).isFalse();
        } finally {
            ((FileBackend) backend).close();
        }
    }

    @Test
    void shouldOpenAReadOnlyFileBackend() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        BlockBackend backend = Backends.open(settings("backend", "file", "path", disk.toString(), "read_only", true),
                context);
        try {
            assertThat(backend.isReadOnly()).isTrue();
            assertThat(backend.capacity()).isEqualTo(1L << 20);
        } finally {
            ((FileBackend) backend).close();
        }
    }

    @Test
    void shouldRejectAFileThatGrewSinceTheSettingsWereChecked() throws IOException {
        Path disk = image("disk.img", 1 << 20);
        DeviceSettings settings = settings("backend", "file", "path", disk.toString());
        resize(disk, (1 << 20) + 512);

        assertThatThrownBy(() -> Backends.open(settings, context))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("virtio-blk 'disk0': ")
                .hasMessageContaining("capacity mismatch: " + disk + " now has 1049088 bytes, 1048576 were configured");
    }

    @Test
    void shouldRejectAFileThatShrankSinceTheSettingsWereChecked() throws IOException {
        Path disk = image("disk.img", 1 << 20);
        DeviceSettings settings = settings("backend", "file", "path", disk.toString());
        resize(disk, 512);

        assertThatThrownBy(() -> Backends.open(settings, context))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("virtio-blk 'disk0': ")
                .hasMessageContaining("capacity mismatch: " + disk + " now has 512 bytes, 1048576 were configured");
    }

    @Test
    void shouldCloseTheFileItRejectsForItsSize() throws IOException {
        assumeTrue(Files.isDirectory(OPEN_FILES), "needs /proc/self/fd");
        Path disk = image("disk.img", 1 << 20);
        DeviceSettings settings = settings("backend", "file", "path", disk.toString());
        resize(disk, 2 << 20);

        assertThatThrownBy(() -> Backends.open(settings, context))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("virtio-blk 'disk0': ")
                .hasMessageContaining("capacity mismatch");
        assertThat(descriptorsOn(disk)).isEmpty();
    }

    @Test
    void shouldSeeItsOwnOpenFileAmongTheDescriptors() throws IOException {
        assumeTrue(Files.isDirectory(OPEN_FILES), "needs /proc/self/fd");
        Path disk = image("disk.img", 1 << 20);

        FileBackend backend = (FileBackend) Backends.open(settings("backend", "file", "path", disk.toString()),
                context);
        try {
            assertThat(descriptorsOn(disk)).hasSize(1);
        } finally {
            backend.close();
        }
        assertThat(descriptorsOn(disk)).isEmpty();
    }

    @Test
    void shouldRejectAFileRemovedSinceTheSettingsWereChecked() throws IOException {
        Path disk = image("disk.img", 1 << 20);
        DeviceSettings settings = settings("backend", "file", "path", disk.toString());
        Files.delete(disk);

        assertThatThrownBy(() -> Backends.open(settings, context))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("virtio-blk 'disk0': ")
                .hasMessageContaining("no such file: " + disk);
    }

    @Test
    void shouldDescribeEachBackendForTheMonitor() throws IOException {
        Path disk = image("disk.img", 1 << 20);

        assertThat(Backends.describe(settings("backend", "null"))).isEqualTo("null");
        assertThat(Backends.describe(settings("backend", "ram", "capacity", "1M"))).isEqualTo("ram");
        assertThat(Backends.describe(settings("backend", "file", "path", disk.toString()))).isEqualTo("file " + disk);
    }
}
