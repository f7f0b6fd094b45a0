package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The transport and socket settings: a vhost-user device needs a usable socket path. */
class TransportSettingsTest {

    @TempDir
    Path dir;

    private static VirtioBlkConfiguration config(Object... keysAndValues) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("id", "disk0");
        overrides.put("capacity", "1M");
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

    @Test
    void shouldDefaultToTheInProcessTransportWithoutASocket() {
        DeviceSettings s = DeviceSettings.from(config());

        assertThat(s.transport()).isEqualTo(TransportKind.INPROCESS);
        assertThat(s.socket()).isNull();
    }

    @Test
    void shouldTakeAVhostUserSocketInAnExistingDirectory() {
        Path socket = dir.resolve("vblk0.sock");

        DeviceSettings s = DeviceSettings.from(config("transport", "vhost-user", "socket", socket.toString()));

        assertThat(s.transport()).isEqualTo(TransportKind.VHOST_USER);
        assertThat(s.socket()).isEqualTo(socket.toAbsolutePath());
    }

    @Test
    void shouldRejectAnUnknownTransport() {
        assertRejected(config("transport", "vhost-vdpa"), "unknown transport 'vhost-vdpa'; choose inprocess, vhost-user");
    }

    @Test
    void shouldRejectVhostUserWithoutASocket() {
        assertRejected(config("transport", "vhost-user"), "transport=vhost-user needs a socket path");
    }

    @Test
    void shouldRejectASocketForTheInProcessTransport() {
        assertRejected(config("socket", dir.resolve("s.sock").toString()), "socket is for transport=vhost-user only");
    }

    @Test
    void shouldRejectASocketInADirectoryThatDoesNotExist() {
        assertRejected(config("transport", "vhost-user", "socket", dir.resolve("no/such/s.sock").toString()),
                "does not exist");
    }

    @Test
    void shouldRejectASocketPathTooLongForAUnixSocket() {
        String longName = "s".repeat(120) + ".sock";

        assertRejected(config("transport", "vhost-user", "socket", dir.resolve(longName).toString()),
                "is longer than 107 bytes");
    }

    @Test
    void shouldRejectASocketPathThatIsARegularFile() throws Exception {
        Path file = Files.createFile(dir.resolve("image.raw"));

        assertRejected(config("transport", "vhost-user", "socket", file.toString()), "exists and is not a socket");
    }

    @Test
    void shouldAcceptASocketFileLeftThere() throws Exception {
        Path socket = dir.resolve("left.sock");
        try (AFUNIXServerSocket s = AFUNIXServerSocket.newInstance()) {
            s.setDeleteOnClose(false); // as a back-end that died leaves it
            s.bind(AFUNIXSocketAddress.of(socket.toFile()));
        }
        assertThat(Files.exists(socket)).isTrue();

        assertThat(DeviceSettings.from(config("transport", "vhost-user", "socket", socket.toString())).socket())
                .isEqualTo(socket);
    }
}
