package org.hvkit.block.virtio.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.RamBackend;

/**
 * A device configuration, checked: every value a device needs, valid, or an
 * {@link IllegalArgumentException} with one sentence naming the device and the problem.
 *
 * @param id the device id
 * @param numQueues the number of queues
 * @param queueSize the largest queue size, a power of two
 * @param backend the backend kind
 * @param path the image file, null unless the backend is a file
 * @param capacity the size in bytes; for a file, its size
 * @param readOnly true to refuse writes
 * @param mapping the context names, round-robin over the queues; not empty, no duplicates
 * @param serial the GET_ID serial, at most 20 bytes
 * @param drainTimeout how long a queue whose context goes waits for its requests in flight
 * @param transport how the guest reaches the device
 * @param socket the vhost-user socket path, absolute; null for the in-process transport
 */
record DeviceSettings(String id, int numQueues, int queueSize, BackendKind backend, Path path, long capacity,
        boolean readOnly, List<String> mapping, String serial, Duration drainTimeout, TransportKind transport,
        Path socket) {

    static final int MAX_QUEUES = 1024;
    static final int MIN_QUEUE_SIZE = 4;
    static final int MAX_QUEUE_SIZE = 32768;
    /** QEMU's null-co default size. */
    static final long NULL_DEFAULT_CAPACITY = 1L << 30;
    static final int MAX_SERIAL_BYTES = 20;
    static final int MAX_DRAIN_TIMEOUT_MS = 600_000;
    /** Bytes of a Unix socket path: sun_path holds 108 with the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * Checks a configuration. Reads the image file's attributes (not its contents).
     *
     * <p>Thread-safety: any thread.
     *
     * @throws IllegalArgumentException with a message naming the device and the problem
     */
    static DeviceSettings from(VirtioBlkConfiguration c) {
        String id = c.id() == null ? "" : c.id().trim();
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("virtio-blk configuration needs an 'id' without spaces, got '"
                    + c.id() + "'");
        }
        try {
            return check(id, c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("virtio-blk '" + id + "': " + e.getMessage(), e);
        }
    }

    private static DeviceSettings check(String id, VirtioBlkConfiguration c) {
        require(c.num_queues() >= 1 && c.num_queues() <= MAX_QUEUES,
                "num.queues must be 1 to " + MAX_QUEUES + ", got " + c.num_queues());
        require(c.queue_size() >= MIN_QUEUE_SIZE && c.queue_size() <= MAX_QUEUE_SIZE
                && Integer.bitCount(c.queue_size()) == 1,
                "queue.size must be a power of two from 4 to 32768, got " + c.queue_size());
        BackendKind backend = BackendKind.parse(c.backend() == null ? "" : c.backend());
        String capacityText = c.capacity() == null ? "" : c.capacity().trim();
        Long capacity = capacityText.isEmpty() ? null : SizeParser.parse(capacityText);
        require(capacity == null || (capacity > 0 && capacity % BlockBackend.SECTOR_SIZE == 0),
                "capacity must be a positive multiple of 512 bytes, got " + capacityText);
        Path path = null;
        long size;
        switch (backend) {
            case FILE -> {
                path = imagePath(c.path(), c.read_only());
                size = fileSize(path, capacity);
            }
            case RAM -> {
                require(capacity != null, "the ram backend needs a capacity, e.g. capacity=256M");
                require(capacity <= RamBackend.MAX_CAPACITY, "the ram backend holds at most "
                        + RamBackend.MAX_CAPACITY + " bytes, " + capacityText + " was asked for");
                size = capacity;
            }
            default -> size = capacity == null ? NULL_DEFAULT_CAPACITY : capacity;
        }
        // An explicit serial must fit; the id as default is cut to 20 bytes by GET_ID, as QEMU does.
        boolean explicitSerial = c.serial() != null && !c.serial().isBlank();
        String serial = explicitSerial ? c.serial().trim() : id;
        require(!explicitSerial || serial.getBytes(StandardCharsets.UTF_8).length <= MAX_SERIAL_BYTES,
                "serial must be at most " + MAX_SERIAL_BYTES + " bytes, got '" + serial + "'");
        require(c.drain_timeout_ms() >= 1 && c.drain_timeout_ms() <= MAX_DRAIN_TIMEOUT_MS,
                "drain.timeout.ms must be 1 to " + MAX_DRAIN_TIMEOUT_MS + ", got " + c.drain_timeout_ms());
        TransportKind transport = TransportKind.parse(c.transport() == null ? "" : c.transport());
        return new DeviceSettings(id, c.num_queues(), c.queue_size(), backend, path, size, c.read_only(),
                mapping(c.iothread_vq_mapping()), serial, Duration.ofMillis(c.drain_timeout_ms()), transport,
                socketPath(transport, c.socket()));
    }

    /**
     * The vhost-user socket: required for that transport and refused for the other; its
     * directory must exist and be writable, the path must fit a Unix socket address, and
     * whatever is there already must be a socket (left by an earlier run).
     */
    private static Path socketPath(TransportKind transport, String text) {
        boolean given = text != null && !text.isBlank();
        if (transport == TransportKind.INPROCESS) {
            require(!given, "socket is for transport=vhost-user only");
            return null;
        }
        require(given, "transport=vhost-user needs a socket path, e.g. socket=/run/hvkit/vblk0.sock");
        Path socket = Path.of(text.trim()).toAbsolutePath().normalize();
        require(socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES,
                "socket path " + socket + " is longer than " + MAX_SOCKET_PATH_BYTES + " bytes");
        Path directory = socket.getParent();
        require(directory != null && Files.isDirectory(directory), "socket directory " + directory
                + " does not exist");
        require(Files.isWritable(directory), "cannot create the socket in " + directory);
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            require(isSocket(socket), socket + " exists and is not a socket");
        }
        return socket;
    }

    private static boolean isSocket(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private static Path imagePath(String text, boolean readOnly) {
        require(text != null && !text.isBlank(), "the file backend needs a path");
        Path path = Path.of(text.trim());
        require(Files.exists(path), "no such file: " + path);
        require(Files.isRegularFile(path), "not a regular file: " + path);
        require(Files.isReadable(path), "cannot read " + path);
        require(readOnly || Files.isWritable(path), path + " is read-only; set read.only=true to use it so");
        return path;
    }

    private static long fileSize(Path path, Long capacity) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
        require(size > 0 && size % BlockBackend.SECTOR_SIZE == 0,
                path + " has " + size + " bytes, not a positive multiple of 512");
        require(capacity == null || capacity == size,
                "capacity mismatch: " + path + " has " + size + " bytes, capacity says " + capacity);
        return size;
    }

    /**
     * QEMU's rules for the list form: each IOThread once; empty means the main loop. An entry
     * may itself be a comma-separated list, as a {@code .cfg} file gives one string.
     */
    private static List<String> mapping(String[] entries) {
        if (entries == null || entries.length == 0 || (entries.length == 1 && entries[0].isBlank())) {
            return List.of(AioContext.MAIN);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String entry : entries) {
            for (String name : (entry == null ? "" : entry).split(",", -1)) {
                String n = name.trim();
                require(!n.isEmpty(), "iothread.vq.mapping has an empty name");
                require(seen.add(n), "IOThread '" + n + "' is listed twice in iothread.vq.mapping");
            }
        }
        return List.copyOf(seen);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The context name serving queue {@code index}. */
    String contextOf(int index) {
        return mapping.get(index % mapping.size());
    }
}
