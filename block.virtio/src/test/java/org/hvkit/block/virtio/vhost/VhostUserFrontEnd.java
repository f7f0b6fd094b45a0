package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.hvkit.block.virtio.blk.DeviceStatus;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.transport.InterruptSink;
import org.hvkit.block.virtio.transport.VirtioTransport;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The front-end side of vhost-user, as QEMU speaks it, for tests: raw messages for protocol
 * tests, and a {@link VirtioTransport} over the protocol, so the driver model runs against a
 * device served by a {@link VhostUserServer}. Every SET request asks for an acknowledgement
 * (REPLY_ACK), so a test continues only after the back-end has handled it. Kicks and calls
 * are real non-blocking eventfds; a thread turns call signals into driver interrupts.
 */
final class VhostUserFrontEnd implements VirtioTransport, AutoCloseable {

    static final int NEED_REPLY = VhostUserMessage.VERSION | VhostUserMessage.FLAG_NEED_REPLY;

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SharedRam ram;
    private final int maxQueueSize;
    private long offered;
    private int queueCount;
    private long accepted;
    private int status;
    private RingLayout[] layouts = new RingLayout[0];
    private TestEventfd[] kicks = new TestEventfd[0];
    /** Replaced as a whole by {@link #replaceCall} while the poller runs, which reads it each round. */
    private volatile TestEventfd[] calls = new TestEventfd[0];
    private boolean live;
    private volatile InterruptSink sink;
    private volatile boolean polling;
    private Thread callPoller;

    private VhostUserFrontEnd(AFUNIXSocket socket, SharedRam ram, int maxQueueSize) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.ram = ram;
        this.maxQueueSize = maxQueueSize;
        socket.setSoTimeout(10_000);
    }

    /** Connects without a word said. */
    static VhostUserFrontEnd connect(Path path, SharedRam ram, int maxQueueSize) throws IOException {
        AFUNIXSocket s = AFUNIXSocket.newInstance();
        s.connect(AFUNIXSocketAddress.of(path.toFile()));
        return new VhostUserFrontEnd(s, ram, maxQueueSize);
    }

    /** QEMU's start: features, protocol features, queue count, owner, memory table. */
    VhostUserFrontEnd handshake() throws IOException {
        offered = request(VhostUserRequest.GET_FEATURES, empty()).getLong(0);
        long protocol = request(VhostUserRequest.GET_PROTOCOL_FEATURES, empty()).getLong(0);
        sendAcked(VhostUserRequest.SET_PROTOCOL_FEATURES, u64(protocol & VhostUserBackend.OFFERED_PROTOCOL_FEATURES));
        queueCount = (int) request(VhostUserRequest.GET_QUEUE_NUM, empty()).getLong(0);
        sendAcked(VhostUserRequest.SET_OWNER, empty());
        ByteBuffer table = ByteBuffer.allocate(8 + 32).order(ByteOrder.LITTLE_ENDIAN);
        table.putInt(0, 1).putLong(8, SharedRam.GUEST_BASE).putLong(16, ram.size())
                .putLong(24, SharedRam.USER_BASE).putLong(32, 0);
        sendAcked(VhostUserRequest.SET_MEM_TABLE, table, ram.fd());
        return this;
    }

    // ---- raw protocol ----

    static ByteBuffer empty() {
        return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    static ByteBuffer state(int index, int num) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, index).putInt(4, num);
    }

    /** Sends a message: header and payload in one write, with the descriptors attached. */
    void send(int request, int flags, ByteBuffer payload, FileDescriptor... fds) throws IOException {
        ByteBuffer m = ByteBuffer.allocate(12 + payload.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(request).putInt(flags).putInt(payload.capacity()).put(payload.duplicate().clear());
        sendRaw(m.array(), fds);
    }

    void sendRaw(byte[] bytes, FileDescriptor... fds) throws IOException {
        if (fds.length > 0) {
            socket.setOutboundFileDescriptors(fds);
        }
        out.write(bytes);
        out.flush();
    }

    /** Sends a request that has a reply and returns the reply's payload. */
    ByteBuffer request(VhostUserRequest request, ByteBuffer payload) throws IOException {
        send(request.code(), VhostUserMessage.VERSION, payload);
        return reply(request);
    }

    /** Sends a request asking for an acknowledgement and requires it to be 0 (success). */
    void sendAcked(VhostUserRequest request, ByteBuffer payload, FileDescriptor... fds) throws IOException {
        send(request.code(), NEED_REPLY, payload, fds);
        long ack = reply(request).getLong(0);
        if (ack != 0) {
            throw new IOException(request + " acknowledged with " + ack);
        }
    }

    /** Reads one reply and checks its header. */
    ByteBuffer reply(VhostUserRequest request) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(readFully(12)).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != request.code() || h.getInt(4) != (VhostUserMessage.VERSION | VhostUserMessage.FLAG_REPLY)) {
            throw new IOException("bad reply header to " + request + ": " + h.getInt(0) + "/" + h.getInt(4));
        }
        return ByteBuffer.wrap(readFully(h.getInt(8))).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("connection closed by the back-end");
        }
        return b;
    }

    /** The shared RAM's descriptor. */
    FileDescriptor ramFd() throws IOException {
        return ram.fd();
    }

    /** Half-closes the connection: the back-end reads the end of the stream. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** True if the back-end closed the connection (end of stream) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    // ---- the transport the driver model sees ----

    @Override
    public long deviceFeatures() {
        return offered & ~(1L << VhostUserBackend.F_PROTOCOL_FEATURES);
    }

    @Override
    public void driverFeatures(long features) {
        accepted = features;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void status(int value) {
        try {
            if (value == 0) {
                stopRings();
                status = 0;
                return;
            }
            status = value;
            if ((value & DeviceStatus.DRIVER_OK) != 0 && !live) {
                startRings();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startRings() throws IOException {
        sendAcked(VhostUserRequest.SET_FEATURES, u64(accepted | (1L << VhostUserBackend.F_PROTOCOL_FEATURES)));
        kicks = new TestEventfd[layouts.length];
        calls = new TestEventfd[layouts.length];
        for (int q = 0; q < layouts.length; q++) {
            RingLayout l = layouts[q];
            if (l == null) {
                continue;
            }
            kicks[q] = new TestEventfd();
            calls[q] = new TestEventfd();
            sendAcked(VhostUserRequest.SET_VRING_NUM, state(q, l.size()));
            sendAcked(VhostUserRequest.SET_VRING_BASE, state(q, 0));
            ByteBuffer addr = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            addr.putInt(0, q).putInt(4, 0).putLong(8, ram.userAddress(l.descTable()))
                    .putLong(16, ram.userAddress(l.usedRing())).putLong(24, ram.userAddress(l.availRing()));
            sendAcked(VhostUserRequest.SET_VRING_ADDR, addr);
            sendAcked(VhostUserRequest.SET_VRING_CALL, u64(q), calls[q].fd());
            sendAcked(VhostUserRequest.SET_VRING_KICK, u64(q), kicks[q].fd());
            sendAcked(VhostUserRequest.SET_VRING_ENABLE, state(q, 1));
        }
        live = true;
        polling = true;
        callPoller = new Thread(this::pollCalls, "test front-end calls");
        callPoller.setDaemon(true);
        callPoller.start();
    }

    /** GET_VRING_BASE for every running ring, as QEMU stops a device; returns the last bases. */
    int[] stopRings() throws IOException {
        int[] bases = new int[layouts.length];
        if (live) {
            for (int q = 0; q < layouts.length; q++) {
                if (layouts[q] != null) {
                    bases[q] = request(VhostUserRequest.GET_VRING_BASE, state(q, 0)).getInt(4);
                }
            }
            live = false;
            stopPolling();
        }
        layouts = new RingLayout[0];
        return bases;
    }

    private void stopPolling() {
        polling = false;
        if (callPoller != null) {
            try {
                callPoller.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (TestEventfd e : kicks) {
            if (e != null) {
                e.close();
            }
        }
        for (TestEventfd e : calls) {
            if (e != null) {
                e.close();
            }
        }
        kicks = new TestEventfd[0];
        calls = new TestEventfd[0];
    }

    private void pollCalls() {
        int[] pollfds = new int[2 * calls.length];
        while (polling) {
            TestEventfd[] c = calls;
            for (int q = 0; q < c.length; q++) {
                pollfds[2 * q] = c[q] == null ? -1 : c[q].number;
                pollfds[2 * q + 1] = TestCalls.POLLIN;
            }
            if (TestCalls.poll(pollfds, c.length, 50) <= 0) {
                continue;
            }
            for (int q = 0; q < c.length; q++) {
                if ((pollfds[2 * q + 1] >>> 16) != 0 && c[q].take() > 0) {
                    sink.queueInterrupt(q);
                }
            }
        }
    }

    /** SET_MEM_TABLE again, as QEMU does when the guest's memory map changes while rings run. */
    void resendMemoryTable() throws IOException {
        ByteBuffer table = ByteBuffer.allocate(8 + 32).order(ByteOrder.LITTLE_ENDIAN);
        table.putInt(0, 1).putLong(8, SharedRam.GUEST_BASE).putLong(16, ram.size())
                .putLong(24, SharedRam.USER_BASE).putLong(32, 0);
        sendAcked(VhostUserRequest.SET_MEM_TABLE, table, ram.fd());
    }

    /** A new call eventfd for a running ring, as QEMU sends when it masks or unmasks a vector. */
    void replaceCall(int queue) throws IOException {
        TestEventfd fresh = new TestEventfd();
        sendAcked(VhostUserRequest.SET_VRING_CALL, u64(queue), fresh.fd());
        TestEventfd[] next = calls.clone();
        TestEventfd old = next[queue];
        next[queue] = fresh;
        calls = next; // the poller reads the array at each round
        old.close();
    }

    @Override
    public long readConfig(int offset, int width) {
        try {
            ByteBuffer p = ByteBuffer.allocate(12 + width).order(ByteOrder.LITTLE_ENDIAN);
            p.putInt(0, offset).putInt(4, width).putInt(8, 0);
            ByteBuffer r = request(VhostUserRequest.GET_CONFIG, p);
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (r.get(12 + i) & 0xff);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int numQueues() {
        return queueCount;
    }

    @Override
    public int maxQueueSize() {
        return maxQueueSize;
    }

    @Override
    public void setUpQueue(int index, int size, long descriptorTable, long availRing, long usedRing) {
        if (layouts.length < queueCount) {
            layouts = new RingLayout[queueCount];
        }
        layouts[index] = new RingLayout(size, descriptorTable, availRing, usedRing);
    }

    @Override
    public void notifyQueue(int index) {
        kicks[index].signal();
    }

    @Override
    public void interrupts(InterruptSink interruptSink) {
        this.sink = interruptSink;
    }

    @Override
    public void close() throws IOException {
        if (live) {
            live = false;
            stopPolling();
        }
        socket.close();
    }
}
