package org.hvkit.block.virtio.vhost;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.queue.RingLayout;

/**
 * The back-end side of one vhost-user connection for a virtio-blk device: the session state
 * (owner, features, protocol features, memory table, per-vring setup) and the handling of
 * each front-end request. There is no status register: a vring starts once it has a size,
 * addresses, a kick descriptor, a memory table and (with protocol features) SET_VRING_ENABLE;
 * GET_VRING_BASE stops it and returns where it stopped. Anything malformed or out of order
 * throws {@link ProtocolException}, and the connection is closed; {@link #end()} then stops
 * every vring and resets the device, so the next connection starts from a reset state.
 *
 * <p>Thread-safety: confined to the connection's thread.
 */
final class VhostUserBackend {

    /** VHOST_USER_F_PROTOCOL_FEATURES: a virtio feature bit with a vhost-user meaning. */
    static final int F_PROTOCOL_FEATURES = 30;
    static final long PROTOCOL_F_MQ = 1L;
    static final long PROTOCOL_F_REPLY_ACK = 1L << 3;
    static final long PROTOCOL_F_CONFIG = 1L << 9;
    static final long OFFERED_PROTOCOL_FEATURES = PROTOCOL_F_MQ | PROTOCOL_F_REPLY_ACK | PROTOCOL_F_CONFIG;
    /** SET_VRING_KICK/CALL/ERR payload: the vring index bits and the no-descriptor flag. */
    static final long VRING_INDEX_MASK = 0xff;
    static final long VRING_NOFD = 0x100;
    /** The config space a front-end may address (VHOST_USER_MAX_CONFIG_SIZE). */
    static final int MAX_CONFIG = 256;
    /** GET_CONFIG/SET_CONFIG: offset, size, flags before the bytes. */
    static final int CONFIG_HEADER = 12;
    static final int VRING_ADDR_SIZE = 40;

    /** The setup of one vring as the front-end gave it. */
    private static final class Vring {
        int size;
        int base;
        boolean addressed;
        long descUser;
        long usedUser;
        long availUser;
        boolean kicked;
        boolean enabled;
        boolean started;
    }

    private final VirtioBlkDevice device;
    /** The kick channel of each vring, or null; handed to the device's queue of that index. */
    private final KickChannel[] kicks;
    private final CallNotifier calls;
    private final Vring[] vrings;
    private final long offeredFeatures;
    private boolean owner;
    private long features;
    private long protocolFeatures;
    private MemoryTable table;

    VhostUserBackend(VirtioBlkDevice device, CallNotifier calls) {
        this.device = device;
        this.kicks = new KickChannel[device.numQueues()];
        this.calls = calls;
        this.vrings = new Vring[device.numQueues()];
        for (int i = 0; i < vrings.length; i++) {
            vrings[i] = new Vring();
        }
        this.offeredFeatures = device.deviceFeatures() | (1L << F_PROTOCOL_FEATURES);
    }

    /** True if the front-end asked for acknowledgements of requests that have no reply. */
    boolean replyAck() {
        return (protocolFeatures & PROTOCOL_F_REPLY_ACK) != 0;
    }

    /**
     * Handles one request.
     *
     * @param m the message; the handler takes the descriptors it keeps
     * @return the reply payload, or null if the request has none
     * @throws ProtocolException if the message is malformed or out of order
     */
    ByteBuffer handle(VhostUserMessage m) throws ProtocolException {
        if (m.request() != VhostUserRequest.SET_MEM_TABLE && m.request() != VhostUserRequest.SET_VRING_KICK
                && m.request() != VhostUserRequest.SET_VRING_CALL && m.request() != VhostUserRequest.SET_VRING_ERR) {
            m.requireFds(0);
        }
        ByteBuffer p = m.payload();
        switch (m.request()) {
            case GET_FEATURES:
                m.requireSize(0);
                return u64(offeredFeatures);
            case SET_FEATURES:
                setFeatures(m);
                return null;
            case SET_OWNER:
                m.requireSize(0);
                if (owner) {
                    throw new ProtocolException("SET_OWNER twice");
                }
                owner = true;
                return null;
            case RESET_OWNER:
                m.requireSize(0);
                end();
                return null;
            case SET_MEM_TABLE:
                requireOwner(m);
                setMemTable(m);
                return null;
            case SET_VRING_NUM:
                setVringNum(stopped(m), p.getInt(4));
                return null;
            case SET_VRING_ADDR:
                setVringAddr(m);
                return null;
            case SET_VRING_BASE:
                setVringBase(stopped(m), p.getInt(4));
                return null;
            case GET_VRING_BASE:
                return getVringBase(vringState(m));
            case SET_VRING_KICK:
                setVringKick(m);
                return null;
            case SET_VRING_CALL:
                setVringCall(m);
                return null;
            case SET_VRING_ERR:
                // Errors are logged by this back-end, never signalled: the descriptor is
                // checked and then closed with the message.
                descriptorMessage(m);
                return null;
            case GET_PROTOCOL_FEATURES:
                m.requireSize(0);
                return u64(OFFERED_PROTOCOL_FEATURES);
            case SET_PROTOCOL_FEATURES:
                setProtocolFeatures(m.requireSize(8).payload().getLong(0));
                return null;
            case GET_QUEUE_NUM:
                m.requireSize(0);
                return u64(vrings.length);
            case SET_VRING_ENABLE:
                setVringEnable(vringState(m), p.getInt(4));
                return null;
            case GET_CONFIG:
                return getConfig(m);
            case SET_CONFIG:
                configRange(m);
                // No field of the virtio-blk config space is writable with the features offered.
                return null;
            default:
                throw new ProtocolException("unsupported request " + m.request());
        }
    }

    /**
     * Ends the session: stops every vring (waiting for requests in flight), closes every
     * descriptor, drops the memory table and resets the device. Runs when the connection
     * closes, for whatever reason, and for RESET_OWNER.
     */
    void end() {
        for (int i = 0; i < vrings.length; i++) {
            stop(i);
            vrings[i] = new Vring();
            replaceKick(i, null);
        }
        calls.clear();
        device.status(0);
        table = null;
        owner = false;
        features = 0;
        protocolFeatures = 0;
    }

    private void setFeatures(VhostUserMessage m) throws ProtocolException {
        requireOwner(m.requireSize(8));
        long requested = m.payload().getLong(0);
        if ((requested & ~offeredFeatures) != 0) {
            throw new ProtocolException("SET_FEATURES with features not offered: 0x"
                    + Long.toHexString(requested & ~offeredFeatures));
        }
        for (Vring v : vrings) {
            if (v.started) {
                throw new ProtocolException("SET_FEATURES while vrings run");
            }
        }
        features = requested;
    }

    private void setProtocolFeatures(long requested) throws ProtocolException {
        if ((requested & ~OFFERED_PROTOCOL_FEATURES) != 0) {
            throw new ProtocolException("SET_PROTOCOL_FEATURES with features not offered: 0x"
                    + Long.toHexString(requested & ~OFFERED_PROTOCOL_FEATURES));
        }
        protocolFeatures = requested;
    }

    private void setMemTable(VhostUserMessage m) throws ProtocolException {
        List<MemoryTable.Region> regions = MemoryTable.parse(m.payload(), m.fdCount());
        MemoryTable mapped = MemoryTable.map(regions, m.peekFds());
        // The rings of running vrings are in the old table: stop them, then resume them in the new one.
        boolean[] restart = new boolean[vrings.length];
        for (int i = 0; i < vrings.length; i++) {
            restart[i] = vrings[i].started;
            stop(i);
        }
        table = mapped;
        for (int i = 0; i < vrings.length; i++) {
            if (restart[i]) {
                maybeStart(i);
            }
        }
    }

    private void setVringNum(int index, int size) throws ProtocolException {
        if (size < 1 || size > device.maxQueueSize() || Integer.bitCount(size) != 1) {
            throw new ProtocolException("SET_VRING_NUM " + Integer.toUnsignedString(size) + " for vring " + index
                    + ": not a power of two up to " + device.maxQueueSize());
        }
        vrings[index].size = size;
    }

    private void setVringAddr(VhostUserMessage m) throws ProtocolException {
        requireOwner(m.requireSize(VRING_ADDR_SIZE));
        ByteBuffer p = m.payload();
        int index = stopped(m);
        int flags = p.getInt(4);
        long desc = p.getLong(8);
        long used = p.getLong(16);
        long avail = p.getLong(24);
        if (flags != 0) {
            // VHOST_VRING_F_LOG needs dirty logging, which this back-end does not offer.
            throw new ProtocolException("SET_VRING_ADDR for vring " + index + " with flags 0x"
                    + Integer.toHexString(flags));
        }
        if ((desc & 15) != 0 || (avail & 1) != 0 || (used & 3) != 0) {
            throw new ProtocolException("SET_VRING_ADDR for vring " + index + " with misaligned rings");
        }
        Vring v = vrings[index];
        v.descUser = desc;
        v.availUser = avail;
        v.usedUser = used;
        v.addressed = true;
    }

    private void setVringBase(int index, int base) throws ProtocolException {
        if (base < 0 || base > 0xffff) {
            throw new ProtocolException("SET_VRING_BASE " + Integer.toUnsignedString(base) + " for vring " + index);
        }
        vrings[index].base = base;
    }

    private ByteBuffer getVringBase(int index) {
        stop(index);
        Vring v = vrings[index];
        if (v.kicked) {
            replaceKick(index, null);
            v.kicked = false;
        }
        ByteBuffer reply = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        reply.putInt(0, index).putInt(4, v.base);
        return reply;
    }

    private void setVringKick(VhostUserMessage m) throws ProtocolException {
        int index = descriptorMessage(m);
        if (m.fdCount() == 0) {
            throw new ProtocolException("SET_VRING_KICK without a descriptor for vring " + index
                    + ": polling the rings is not supported");
        }
        Vring v = vrings[index];
        stop(index); // a running vring resumes on the new descriptor
        KickChannel kick;
        try {
            kick = KickChannel.adopt(m.takeFd(0));
        } catch (IOException e) {
            throw new ProtocolException("SET_VRING_KICK for vring " + index + ": " + e.getMessage());
        }
        replaceKick(index, kick);
        v.kicked = true;
        maybeStart(index);
    }

    /**
     * Gives vring {@code index}'s queue {@code kick} as its kick source, then closes the one it
     * replaces: the context that had it registered releases it (see {@link KickChannel}).
     */
    private void replaceKick(int index, KickChannel kick) {
        KickChannel previous = kicks[index];
        kicks[index] = kick;
        device.kickSource(index, kick);
        if (previous != null) {
            previous.close();
        }
    }

    private void setVringCall(VhostUserMessage m) throws ProtocolException {
        int index = descriptorMessage(m);
        Vring v = vrings[index];
        boolean restart = v.started;
        if (m.fdCount() > 0) {
            try {
                Descriptors.requireEventfd(m.peekFds()[0]); // refused, it stays the message's to close
            } catch (IOException e) {
                throw new ProtocolException("SET_VRING_CALL for vring " + index + ": " + e.getMessage());
            }
        }
        stop(index); // the call descriptor is replaced only while its queue is stopped
        calls.set(index, m.fdCount() == 0 ? null : m.takeFd(0));
        if (restart) {
            maybeStart(index);
        }
    }

    private void setVringEnable(int index, int enable) throws ProtocolException {
        if (enable != 0 && enable != 1) {
            throw new ProtocolException("SET_VRING_ENABLE " + Integer.toUnsignedString(enable) + " for vring " + index);
        }
        Vring v = vrings[index];
        v.enabled = enable == 1;
        if (v.enabled) {
            maybeStart(index);
        } else {
            stop(index);
        }
    }

    private ByteBuffer getConfig(VhostUserMessage m) throws ProtocolException {
        ByteBuffer p = m.payload();
        int offset = configRange(m);
        int size = p.getInt(4);
        ByteBuffer reply = ByteBuffer.allocate(CONFIG_HEADER + size).order(ByteOrder.LITTLE_ENDIAN);
        reply.putInt(0, offset).putInt(4, size).putInt(8, p.getInt(8));
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            reply.put(CONFIG_HEADER + i, at < VirtioBlkConfig.SIZE ? (byte) device.readConfig(at, 1) : 0);
        }
        return reply;
    }

    /** Checks a GET_CONFIG or SET_CONFIG message; returns its offset. */
    private int configRange(VhostUserMessage m) throws ProtocolException {
        if ((protocolFeatures & PROTOCOL_F_CONFIG) == 0) {
            throw new ProtocolException(m.request() + " without the CONFIG protocol feature");
        }
        ByteBuffer p = m.payload();
        if (p.capacity() < CONFIG_HEADER) {
            throw new ProtocolException(m.request() + " shorter than its header");
        }
        long offset = Integer.toUnsignedLong(p.getInt(0));
        long size = Integer.toUnsignedLong(p.getInt(4));
        if (size > MAX_CONFIG || offset + size > MAX_CONFIG || p.capacity() != CONFIG_HEADER + size) {
            throw new ProtocolException(m.request() + " of " + size + " bytes at " + offset + " in a "
                    + p.capacity() + "-byte payload");
        }
        return (int) offset;
    }

    /** SET_VRING_KICK/CALL/ERR: checks the u64 and the descriptor count; returns the vring index. */
    private int descriptorMessage(VhostUserMessage m) throws ProtocolException {
        requireOwner(m.requireSize(8));
        long value = m.payload().getLong(0);
        if ((value & ~(VRING_INDEX_MASK | VRING_NOFD)) != 0) {
            throw new ProtocolException(m.request() + " with unknown bits 0x" + Long.toHexString(value));
        }
        int index = vringIndex(m, value & VRING_INDEX_MASK);
        m.requireFds((value & VRING_NOFD) != 0 ? 0 : 1);
        return index;
    }

    /** A vring-state message (index, num): checks the size and the owner; returns the index. */
    private int vringState(VhostUserMessage m) throws ProtocolException {
        requireOwner(m.requireSize(8));
        return vringIndex(m, Integer.toUnsignedLong(m.payload().getInt(0)));
    }

    /** A vring setup message for a vring that is not running: returns the index. */
    private int stopped(VhostUserMessage m) throws ProtocolException {
        requireOwner(m.requireSize(m.request() == VhostUserRequest.SET_VRING_ADDR ? VRING_ADDR_SIZE : 8));
        int index = vringIndex(m, Integer.toUnsignedLong(m.payload().getInt(0)));
        if (vrings[index].started) {
            throw new ProtocolException(m.request() + " for vring " + index + " while it runs");
        }
        return index;
    }

    private int vringIndex(VhostUserMessage m, long index) throws ProtocolException {
        if (index >= vrings.length) {
            throw new ProtocolException(m.request() + " for vring " + index + " of " + vrings.length);
        }
        return (int) index;
    }

    private void requireOwner(VhostUserMessage m) throws ProtocolException {
        if (!owner) {
            throw new ProtocolException(m.request() + " before SET_OWNER");
        }
    }

    /** Starts vring {@code index} if everything it needs is there. */
    private void maybeStart(int index) throws ProtocolException {
        Vring v = vrings[index];
        boolean enabled = v.enabled || (features & (1L << F_PROTOCOL_FEATURES)) == 0;
        if (v.started || !v.kicked || !v.addressed || v.size == 0 || !enabled || table == null) {
            return;
        }
        long desc = table.toGuest(v.descUser, 16L * v.size);
        long avail = table.toGuest(v.availUser, 6L + 2L * v.size);
        long used = table.toGuest(v.usedUser, 6L + 8L * v.size);
        if (desc < 0 || avail < 0 || used < 0) {
            throw new ProtocolException("vring " + index + " lies outside the memory table");
        }
        device.startQueue(index, table.memory(), new RingLayout(v.size, desc, avail, used),
                features & ~(1L << F_PROTOCOL_FEATURES), v.base, calls);
        v.started = true;
    }

    /** Stops vring {@code index} if it runs, keeping where it stopped as its base. */
    private void stop(int index) {
        Vring v = vrings[index];
        if (!v.started) {
            return;
        }
        v.started = false;
        int last = device.stopQueue(index);
        if (last >= 0) {
            v.base = last;
        }
    }

    private static ByteBuffer u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }
}
