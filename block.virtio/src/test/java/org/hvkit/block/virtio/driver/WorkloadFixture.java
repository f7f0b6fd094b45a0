package org.hvkit.block.virtio.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * A device whose contexts are each polled by a thread of their own (IOThreads), and an
 * initialised driver whose thread is the test thread: the workload's vCPU.
 */
final class WorkloadFixture implements AutoCloseable {

    static final long RAM_BASE = 0x10000;
    static final int RAM_SIZE = 16 << 20;
    static final long DRIVER_RAM = 1 << 20;
    static final long BUFFERS = RAM_BASE + DRIVER_RAM;
    static final long BUFFER_SIZE = RAM_SIZE - DRIVER_RAM;
    static final int QUEUE_SIZE = 128;

    final GuestMemory memory = GuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final List<AioContext> contexts = new ArrayList<>();
    final BlockBackend backend;
    final VirtioBlkDevice device;
    final VirtioBlkDriver driver;
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean stop;

    /**
     * @param queues the device's queues, all set up by the driver
     * @param contextCount the contexts serving them round-robin, each on its own thread
     * @param backendOnFirstContext makes the backend, given the first context
     */
    WorkloadFixture(int queues, int contextCount, Function<AioContext, BlockBackend> backendOnFirstContext) {
        AioContextFactory factory = ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();
        for (int i = 0; i < contextCount; i++) {
            contexts.add(factory.create("iothread" + i));
        }
        backend = backendOnFirstContext.apply(contexts.get(0));
        device = new VirtioBlkDevice(memory, VirtioBlkConfig.defaults(backend.capacity(), queues, QUEUE_SIZE),
                backend, "hvkit-workload", QUEUE_SIZE, contexts);
        for (AioContext c : contexts) {
            Thread t = new Thread(() -> {
                while (!stop) {
                    c.poll(true);
                }
            }, "loop-" + c.name());
            t.start();
            loops.add(t);
        }
        driver = new VirtioBlkDriver(device, memory, RAM_BASE, DRIVER_RAM);
        driver.initialise(queues, QUEUE_SIZE, -1L);
    }

    WorkloadFixture(int queues, BlockBackend backend) {
        this(queues, 1, context -> backend);
    }

    WorkloadResult run(WorkloadSpec spec) {
        return Workload.run(driver, memory, BUFFERS, BUFFER_SIZE, spec);
    }

    @Override
    public void close() throws InterruptedException {
        device.close(); // while the loops still poll: the reset waits for them
        stop = true;
        for (int i = 0; i < loops.size(); i++) {
            contexts.get(i).wakeUp();
            loops.get(i).join(10_000);
        }
        contexts.forEach(AioContext::close);
        if (backend instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
