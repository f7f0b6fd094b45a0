package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import javax.inject.Inject;

import org.hvkit.block.virtio.api.VirtioDevice;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A virtio-blk device with transport=vhost-user, created from configuration in Felix: its
 * socket answers a front-end, which shows that the embedded junixsocket and JNA load their
 * native libraries in the bundle. The front-end here is the JDK's own Unix socket channel,
 * which passes no descriptors, so it speaks the descriptor-free part of the protocol; the
 * unit tests of block.virtio drive I/O through shared memory and eventfds.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VhostUserIT {

    private static final String DEVICE_PID = "org.hvkit.block.virtio.blk";
    private static final int GET_FEATURES = 1;
    private static final int GET_PROTOCOL_FEATURES = 15;
    private static final int SET_PROTOCOL_FEATURES = 16;
    private static final int GET_QUEUE_NUM = 17;
    private static final int GET_CONFIG = 24;
    private static final int VERSION = 1;
    private static final int REPLY = 4;
    private static final int NEED_REPLY = 8;
    private static final long PROTOCOL_F_CONFIG = 1L << 9;
    private static final long PROTOCOL_F_REPLY_ACK = 1L << 3;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIothread() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, "iothread0");
    }

    @Test
    public void shouldAnswerAFrontEndOnTheSocketOfADeviceFromConfiguration() throws Exception {
        Path socket = socketPath();
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-vhost", "?");
        ServiceTracker<VirtioDevice, VirtioDevice> device =
                Services.track(context, VirtioDevice.class, "(virtio.device.id=it-vhost)");
        try {
            configuration.update(vhostUser("it-vhost", socket));
            Services.await(device, "it-vhost");

            try (SocketChannel frontEnd = connect(socket)) {
                long features = request(frontEnd, GET_FEATURES, empty()).getLong(0);
                long protocol = request(frontEnd, GET_PROTOCOL_FEATURES, empty()).getLong(0);
                assertTrue("protocol features offered", (features & (1L << 30)) != 0);
                assertTrue("VERSION_1 offered", (features & (1L << 32)) != 0);
                assertTrue("CONFIG offered", (protocol & PROTOCOL_F_CONFIG) != 0);

                send(frontEnd, SET_PROTOCOL_FEATURES, VERSION | NEED_REPLY,
                        u64(PROTOCOL_F_CONFIG | PROTOCOL_F_REPLY_ACK));
                assertEquals(0, reply(frontEnd, SET_PROTOCOL_FEATURES).getLong(0));
                assertEquals(2, request(frontEnd, GET_QUEUE_NUM, empty()).getLong(0));
                ByteBuffer config = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0).putInt(4, 8);
                assertEquals((8L << 20) / 512, request(frontEnd, GET_CONFIG, config).getLong(12));
            }
            Services.awaitUnregistered(context, device.getServiceReference(), "it-vhost", configuration::delete);
            assertFalse("socket removed with the device", Files.exists(socket));
        } finally {
            device.close();
        }
    }

    @Test
    public void shouldCloseAMalformedConnectionAndServeTheNextFrontEnd() throws Exception {
        Path socket = socketPath();
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-vhost-bad", "?");
        ServiceTracker<VirtioDevice, VirtioDevice> device =
                Services.track(context, VirtioDevice.class, "(virtio.device.id=it-vhost-bad)");
        try {
            configuration.update(vhostUser("it-vhost-bad", socket));
            Services.await(device, "it-vhost-bad");

            try (SocketChannel bad = connect(socket)) {
                send(bad, 99, VERSION, empty()); // no such request
                assertEquals("connection closed by the back-end", -1, bad.read(ByteBuffer.allocate(1)));
            }
            try (SocketChannel next = connect(socket)) {
                assertEquals(2, request(next, GET_QUEUE_NUM, empty()).getLong(0));
            }
        } finally {
            configuration.delete();
            device.close();
        }
    }

    private static Dictionary<String, Object> vhostUser(String id, Path socket) {
        Dictionary<String, Object> properties = Dictionaries.of("id", id);
        properties.put("num.queues", 2);
        properties.put("capacity", "8M");
        properties.put("iothread.vq.mapping", "iothread0");
        properties.put("transport", "vhost-user");
        properties.put("socket", socket.toString());
        return properties;
    }

    /** A short path: a Unix socket address holds 107 bytes, more than a deep build directory may leave. */
    private static Path socketPath() throws IOException {
        return Files.createTempDirectory("hvkit-it").resolve("vblk.sock");
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static ByteBuffer empty() {
        return ByteBuffer.allocate(0);
    }

    private static ByteBuffer u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    private static void send(SocketChannel channel, int request, int flags, ByteBuffer payload) throws IOException {
        ByteBuffer m = ByteBuffer.allocate(12 + payload.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(request).putInt(flags).putInt(payload.capacity()).put(payload.duplicate().clear()).flip();
        while (m.hasRemaining()) {
            channel.write(m);
        }
    }

    private static ByteBuffer request(SocketChannel channel, int request, ByteBuffer payload) throws IOException {
        send(channel, request, VERSION, payload);
        return reply(channel, request);
    }

    private static ByteBuffer reply(SocketChannel channel, int request) throws IOException {
        ByteBuffer header = readFully(channel, 12);
        assertEquals("reply to request " + request, request, header.getInt(0));
        assertEquals(VERSION | REPLY, header.getInt(4));
        return readFully(channel, header.getInt(8));
    }

    private static ByteBuffer readFully(SocketChannel channel, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("connection closed by the back-end");
            }
        }
        return b.flip();
    }
}
