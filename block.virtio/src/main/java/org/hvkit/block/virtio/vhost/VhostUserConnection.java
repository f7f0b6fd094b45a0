package org.hvkit.block.virtio.vhost;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * The framing of one front-end connection: reads whole messages with the descriptors that
 * came with them, and writes replies. A message is read as exactly its header and then
 * exactly its payload, so no read ever takes bytes, or descriptors, of the next message.
 *
 * <p>Thread-safety: confined to the connection's thread, except {@link #shutdownInput()}, which
 * any thread may call to make a blocked read return.
 */
final class VhostUserConnection implements Closeable {

    /** Room for the ancillary data of 8 descriptors and more. */
    private static final int ANCILLARY_BUFFER = 1024;
    private static final FileDescriptor[] NONE = new FileDescriptor[0];

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    VhostUserConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Reads the next message.
     *
     * @return the message, or null if the front-end closed the connection between messages
     * @throws ProtocolException if the message is malformed or cut short
     * @throws IOException if the socket fails
     */
    VhostUserMessage read() throws IOException, ProtocolException {
        byte[] header = in.readNBytes(VhostUserMessage.HEADER_SIZE);
        FileDescriptor[] fds = received();
        if (header.length == 0 && fds.length == 0) {
            return null;
        }
        if (header.length < VhostUserMessage.HEADER_SIZE) {
            Descriptors.closeAll(fds);
            throw new ProtocolException("connection closed inside a message header");
        }
        VhostUserMessage message = VhostUserMessage.header(ByteBuffer.wrap(header), fds);
        ByteBuffer payload = message.payload();
        int n = in.readNBytes(payload.array(), 0, payload.capacity());
        FileDescriptor[] late = received();
        if (n < payload.capacity() || late.length > 0) {
            Descriptors.closeAll(late);
            message.closeUntakenFds();
            throw new ProtocolException(n < payload.capacity() ? "connection closed inside the payload of " + message
                    : "file descriptors inside the payload of " + message);
        }
        return message;
    }

    private FileDescriptor[] received() throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        return fds == null ? NONE : fds;
    }

    /**
     * Writes a reply: the header with the reply flag, then the payload from position 0 to its limit.
     *
     * @param request the request replied to
     * @param payload the reply payload
     * @throws IOException if the socket fails
     */
    void reply(VhostUserRequest request, ByteBuffer payload) throws IOException {
        ByteBuffer p = payload.duplicate();
        p.position(0);
        int size = p.limit();
        ByteBuffer message = ByteBuffer.allocate(VhostUserMessage.HEADER_SIZE + size).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(request.code()).putInt(VhostUserMessage.VERSION | VhostUserMessage.FLAG_REPLY).putInt(size);
        message.put(p);
        out.write(message.array());
        out.flush();
    }

    /**
     * Makes a read blocked in the connection's thread see the end of the stream, without
     * closing anything yet. Any thread.
     */
    void shutdownInput() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            close(); // not connected any more: closing is what is left
        }
    }

    /**
     * Closes the socket, and with it (junixsocket does so) every descriptor it received that
     * is still open. Idempotent.
     */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do with a socket that fails to close.
        }
    }
}
