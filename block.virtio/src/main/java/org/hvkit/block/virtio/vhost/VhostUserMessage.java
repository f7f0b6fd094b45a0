package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One front-end message: the checked header, its payload (little-endian, position 0) and the
 * file descriptors that came with it. The message owns its descriptors until a handler
 * {@linkplain #takeFd takes} one; {@link #closeUntakenFds()} closes the rest.
 *
 * <p>Thread-safety: confined to the connection's thread.
 */
final class VhostUserMessage {

    /** Header bytes: request, flags, size, each a little-endian u32. */
    static final int HEADER_SIZE = 12;
    /** The protocol version in the low two bits of the flags. */
    static final int VERSION = 0x1;
    static final int VERSION_MASK = 0x3;
    /** Flags bit: this is a reply (back-end to front-end only). */
    static final int FLAG_REPLY = 0x4;
    /** Flags bit: the front-end wants an acknowledgement (with REPLY_ACK negotiated). */
    static final int FLAG_NEED_REPLY = 0x8;
    /** The largest payload any request we serve has: a config space read or write of 256 bytes. */
    static final int MAX_PAYLOAD = 12 + 256;

    private final VhostUserRequest request;
    private final int flags;
    private final ByteBuffer payload;
    private final FileDescriptor[] fds;

    private VhostUserMessage(VhostUserRequest request, int flags, ByteBuffer payload, FileDescriptor[] fds) {
        this.request = request;
        this.flags = flags;
        this.payload = payload;
        this.fds = fds;
    }

    /**
     * Checks a header: a request we serve, version 1, no reply bit, no unknown flag, a payload
     * size we accept. Whatever is wrong, the descriptors are closed before this throws.
     *
     * @param header the 12 header bytes, little-endian
     * @param fds the descriptors received with the message, never null
     * @return the request and flags, with no payload yet
     * @throws ProtocolException naming what is wrong
     */
    static VhostUserMessage header(ByteBuffer header, FileDescriptor[] fds) throws ProtocolException {
        ByteBuffer h = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int code = h.getInt(0);
        int flags = h.getInt(4);
        int size = h.getInt(8);
        try {
            VhostUserRequest request = VhostUserRequest.of(code);
            if (request == null) {
                throw new ProtocolException("unsupported request " + Integer.toUnsignedString(code));
            }
            if ((flags & VERSION_MASK) != VERSION || (flags & ~(VERSION_MASK | FLAG_NEED_REPLY)) != 0) {
                throw new ProtocolException(request + " with bad flags 0x" + Integer.toHexString(flags));
            }
            if (size < 0 || size > MAX_PAYLOAD) {
                throw new ProtocolException(request + " with a payload of " + Integer.toUnsignedString(size)
                        + " bytes, more than " + MAX_PAYLOAD);
            }
            ByteBuffer payload = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            return new VhostUserMessage(request, flags, payload, fds.clone());
        } catch (ProtocolException e) {
            Descriptors.closeAll(fds);
            throw e;
        }
    }

    VhostUserRequest request() {
        return request;
    }

    boolean needsReply() {
        return (flags & FLAG_NEED_REPLY) != 0;
    }

    /** The payload buffer: the reader fills it, handlers read it from position 0. */
    ByteBuffer payload() {
        return payload;
    }

    /** The number of descriptors that came with the message. */
    int fdCount() {
        return fds.length;
    }

    /**
     * Takes ownership of one descriptor.
     *
     * @param index which one
     * @return the descriptor; the caller now closes it
     */
    FileDescriptor takeFd(int index) {
        FileDescriptor fd = fds[index];
        fds[index] = null;
        return fd;
    }

    /**
     * The descriptors, still owned by the message.
     *
     * @return a copy of the array
     */
    FileDescriptor[] peekFds() {
        return fds.clone();
    }

    /** Closes the descriptors no handler took. */
    void closeUntakenFds() {
        Descriptors.closeAll(fds);
        java.util.Arrays.fill(fds, null);
    }

    /**
     * Requires the payload size.
     *
     * @throws ProtocolException if it differs
     */
    VhostUserMessage requireSize(int size) throws ProtocolException {
        if (payload.capacity() != size) {
            throw new ProtocolException(request + " with a payload of " + payload.capacity() + " bytes, expected "
                    + size);
        }
        return this;
    }

    /**
     * Requires the number of descriptors.
     *
     * @throws ProtocolException if it differs
     */
    VhostUserMessage requireFds(int count) throws ProtocolException {
        if (fds.length != count) {
            throw new ProtocolException(request + " with " + fds.length + " file descriptors, expected " + count);
        }
        return this;
    }

    @Override
    public String toString() {
        return request + "[" + payload.capacity() + " bytes, " + fds.length + " fds]";
    }
}
