package org.hvkit.block.virtio.vhost;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A vhost-user-blk export of one device: listens on a Unix socket and serves one front-end
 * (QEMU) at a time, each connection from a reset device. A malformed or out-of-order message
 * closes that connection with one log line; the listener then waits for the next front-end,
 * so a QEMU that reconnects is served. Kicks come in through {@link KickChannel}s, which the
 * queues' own IOThreads wait on; interrupts leave through a {@link CallNotifier}.
 *
 * <p>Threads: one listener thread serves the connection (accept, then read and handle one
 * message after another); no thread stands between a kick and its queue.
 *
 * <p>Thread-safety: {@link #listen} and {@link #close()} from the device's owner; nothing
 * thrown by a connection leaves the listener thread.
 */
public final class VhostUserServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VhostUserServer.class.getName());

    private final String deviceId;
    private final Path socketPath;
    private final VirtioBlkDevice device;
    private final AFUNIXServerSocket server;
    private final CallNotifier calls;
    private final Thread listener;
    /** The connection being served, for close(); written by the listener thread. */
    private volatile VhostUserConnection current;
    private volatile boolean closed;

    private VhostUserServer(String deviceId, Path socketPath, VirtioBlkDevice device, AFUNIXServerSocket server)
            throws IOException {
        this.deviceId = deviceId;
        this.socketPath = socketPath;
        this.device = device;
        this.server = server;
        this.calls = new CallNotifier(deviceId, device.numQueues());
        device.interrupts(calls);
        this.listener = new Thread(this::serve, "vhost-user " + deviceId);
        listener.setDaemon(true);
    }

    /**
     * Listens on {@code socketPath} for a front-end of {@code device}, replacing a stale socket
     * file left there. The device must be in its reset state; it is the server's to drive
     * until {@link #close()}.
     *
     * @param deviceId the device id, for thread names and log lines
     * @param socketPath where to listen
     * @param device the device to export
     * @return the running server
     * @throws IOException if the path is taken by something other than a socket, or binding fails
     */
    public static VhostUserServer listen(String deviceId, Path socketPath, VirtioBlkDevice device)
            throws IOException {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(device, "device");
        Path path = socketPath.toAbsolutePath();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(path + " exists and is not a socket");
            }
            if (listenedOn(path)) {
                throw new IOException(path + " is in use: another back-end listens there");
            }
            Files.delete(path); // a socket left by a previous run: nobody listens on it
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(path.toFile()));
            VhostUserServer s = new VhostUserServer(deviceId, path, device, server);
            s.listener.start();
            LOG.log(System.Logger.Level.INFO, "virtio-blk ''{0}'': vhost-user back-end listening on {1}", deviceId,
                    path);
            return s;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** True if something accepts connections on the socket file {@code path}. */
    private static boolean listenedOn(Path path) {
        try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
            probe.connect(AFUNIXSocketAddress.of(path.toFile()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The socket path. Thread-safety: any thread. */
    public Path socketPath() {
        return socketPath;
    }

    /** The listener thread: one connection after another until closed. */
    private void serve() {
        while (!closed) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.ERROR, "virtio-blk ''{0}'': vhost-user listener stopped: {1}",
                            deviceId, e.toString());
                }
                return;
            }
            serveConnection(socket);
        }
    }

    /** The listener thread: serve one front-end, then leave the device reset. */
    private void serveConnection(AFUNIXSocket socket) {
        VhostUserBackend backend = new VhostUserBackend(device, calls);
        VhostUserConnection connection = null;
        try {
            connection = new VhostUserConnection(socket);
            current = connection;
            if (closed) {
                return; // close() may have missed this connection: do not serve it
            }
            LOG.log(System.Logger.Level.INFO, "virtio-blk ''{0}'': vhost-user front-end connected", deviceId);
            for (VhostUserMessage m; (m = connection.read()) != null; ) {
                try {
                    ByteBuffer reply = backend.handle(m);
                    if (reply != null) {
                        connection.reply(m.request(), reply);
                    } else if (m.needsReply() && backend.replyAck()) {
                        connection.reply(m.request(), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN));
                    }
                } finally {
                    m.closeUntakenFds();
                }
            }
            LOG.log(System.Logger.Level.INFO, "virtio-blk ''{0}'': vhost-user front-end disconnected", deviceId);
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, "virtio-blk ''{0}'': vhost-user connection closed: {1}", deviceId,
                    e.getMessage());
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "virtio-blk ''{0}'': vhost-user connection failed: {1}",
                        deviceId, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "virtio-blk ''" + deviceId + "'': vhost-user connection closed on an"
                    + " internal error", e);
        } finally {
            current = null;
            // The session ends (queues stopped, device reset) before the front-end sees the
            // socket close.
            endSession(backend);
            if (connection != null) {
                connection.close();
            } else {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(AFUNIXSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do with a socket that fails to close.
        }
    }

    private void endSession(VhostUserBackend backend) {
        try {
            backend.end();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "virtio-blk ''" + deviceId + "'': resetting after a vhost-user"
                    + " connection failed", e);
        }
    }

    /**
     * Stops listening, closes the connection (its session ends: queues stopped, device reset),
     * and removes the socket file. Idempotent.
     *
     * <p>Thread-safety: any thread but the listener's; waits for the listener thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing is all we wanted; the thread below ends either way.
        }
        VhostUserConnection c = current;
        if (c != null) {
            c.shutdownInput(); // the listener reads the end of stream, ends the session, then closes
        }
        try {
            listener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "virtio-blk ''{0}'': cannot remove {1}: {2}", deviceId, socketPath,
                    e.toString());
        }
    }
}
