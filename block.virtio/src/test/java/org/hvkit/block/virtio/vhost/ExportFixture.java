package org.hvkit.block.virtio.vhost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.RamBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;

/**
 * A device on a RAM backend, its queues' contexts each polled by a thread of its own (as
 * IOThreads do), exported by a {@link VhostUserServer} on a socket in a temporary directory.
 */
final class ExportFixture implements AutoCloseable {

    static final long CAPACITY = 1 << 20;
    static final int QUEUE_SIZE = 64;

    final Path directory;
    final Path socket;
    final VirtioBlkDevice device;
    final VhostUserServer server;
    private final List<AioContext> contexts = new ArrayList<>();
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean stop;

    private final AioContextFactory factory = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();

    ExportFixture(int queues, int contextCount) throws IOException {
        for (int i = 0; i < contextCount; i++) {
            startContext("vhost-test-" + i);
        }
        device = new VirtioBlkDevice(org.hvkit.block.virtio.memory.GuestMemory.of(List.of()),
                VirtioBlkConfig.defaults(CAPACITY, queues, QUEUE_SIZE), new RamBackend(CAPACITY, false), "vhost-test",
                QUEUE_SIZE, List.copyOf(contexts));
        directory = Files.createTempDirectory("hvkit-vhost");
        socket = directory.resolve("vblk.sock");
        server = VhostUserServer.listen("vblk-test", socket, device);
    }

    /** The thread that polls context {@code i}, in the order the contexts were started. */
    Thread loop(int i) {
        return loops.get(i);
    }

    /** A context named {@code name}, polled by a thread of its own until {@link #close()}. */
    AioContext startContext(String name) {
        AioContext c = factory.create(name);
        contexts.add(c);
        Thread t = new Thread(() -> {
            while (!stop) {
                c.poll(true);
            }
        }, "loop-" + c.name() + "-" + contexts.size());
        t.start();
        loops.add(t);
        return c;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        device.close(); // while the loops still poll: the reset waits for them
        stop = true;
        for (int i = 0; i < loops.size(); i++) {
            contexts.get(i).wakeUp();
            loops.get(i).join(5_000);
            contexts.get(i).close();
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(directory);
    }
}
