package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A device host with transport=vhost-user: the export lives from the device's start to its stop. */
@Timeout(60)
class VhostUserDeviceHostTest {

    private static final int GET_QUEUE_NUM = 17;

    private final Path directory;
    private final Path socket;
    private final AioContext context;
    private final Thread loop;
    private volatile boolean stop;
    private BlkDeviceHost host;

    VhostUserDeviceHostTest() throws Exception {
        directory = Files.createTempDirectory("hvkit-host");
        socket = directory.resolve("vblk.sock");
        context = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow().create("io0");
        loop = new Thread(() -> {
            while (!stop) {
                context.poll(true);
            }
        }, "loop-io0");
        loop.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        stop = true;
        context.wakeUp();
        loop.join(5_000);
        context.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(directory);
    }

    private BlkDeviceHost host() {
        DeviceSettings settings = new DeviceSettings("vblk-vhost", 2, 64, BackendKind.RAM, null, 1 << 20, false,
                List.of("io0"), "vblk-vhost", Duration.ofSeconds(5), TransportKind.VHOST_USER, socket);
        host = new BlkDeviceHost(bundleContext(), settings);
        host.contextAdded("io0", context);
        return host;
    }

    @Test
    void shouldAnswerAFrontEndOnTheSocketOnceTheDeviceRuns() throws Exception {
        host();

        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.connect(AFUNIXSocketAddress.of(socket.toFile()));
            ByteBuffer m = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(GET_QUEUE_NUM).putInt(1)
                    .putInt(0);
            s.getOutputStream().write(m.array());
            InputStream in = s.getInputStream();
            ByteBuffer reply = ByteBuffer.wrap(in.readNBytes(20)).order(ByteOrder.LITTLE_ENDIAN);

            assertThat(reply.getInt(0)).isEqualTo(GET_QUEUE_NUM);
            assertThat(reply.getInt(4)).isEqualTo(1 | 4); // version 1, reply
            assertThat(reply.getLong(12)).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseTheInProcessWorkload() {
        host();

        assertThatThrownBy(() -> host.service().runWorkload(WorkloadSpec.of(ReadWriteMode.READ, 4096, 1, 1, Duration.ofMillis(10)), r -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vhost-user");
    }

    @Test
    void shouldRemoveTheSocketWhenTheDeviceStops() {
        host();
        assertThat(Files.exists(socket)).isTrue();

        host.close();

        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void shouldNotStartTheDeviceOnASocketAnotherBackEndListensOn() throws Exception {
        try (AFUNIXServerSocket other = AFUNIXServerSocket.newInstance()) {
            other.bind(AFUNIXSocketAddress.of(socket.toFile()));

            host();

            assertThat(host.service()).isNull();
        }
    }

    /** Registers nothing real; the device service is read back through the host. */
    private BundleContext bundleContext() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
