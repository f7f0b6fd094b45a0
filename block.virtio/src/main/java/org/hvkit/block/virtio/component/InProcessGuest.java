package org.hvkit.block.virtio.component;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.driver.VirtioBlkDriver;
import org.hvkit.block.virtio.driver.Workload;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The guest of an in-process device: for each workload it brings guest RAM sized for the
 * rings and buffers, drives the device with the {@link VirtioBlkDriver} model from the
 * caller's thread, and at the end resets the device and takes its RAM back, so the device
 * is left as a freshly plugged one. One workload at a time per device.
 *
 * <p>Thread-safety: {@link #run} from any thread but the device's context threads, which
 * must keep serving the queues while it runs.
 */
final class InProcessGuest {

    /** Where guest RAM starts: above the first page, as nothing real lives at address 0. */
    static final long RAM_BASE = 0x10_0000;
    /** The most guest RAM one workload may use: one heap region. */
    static final long MAX_RAM = Integer.MAX_VALUE & ~0xfffL;

    private static final GuestMemory NO_RAM = GuestMemory.of(List.of());

    private final String id;
    private final VirtioBlkDevice device;
    private final int queueSize;
    /** Set while a workload runs: compare-and-set admits one. */
    private final AtomicBoolean running = new AtomicBoolean();

    InProcessGuest(String id, VirtioBlkDevice device, int queueSize) {
        this.id = id;
        this.device = device;
        this.queueSize = queueSize;
    }

    /**
     * Runs a workload to its end in the calling thread.
     *
     * @throws IllegalArgumentException if the workload does not fit the device or guest RAM
     * @throws IllegalStateException if another workload is running on this device
     */
    WorkloadResult run(WorkloadSpec spec, WorkloadProgress progress) {
        check(spec);
        long ringBytes = (VirtioBlkDriver.ramNeeded(spec.queues(), queueSize) + 0xfff) & ~0xfffL;
        long bufferBytes = (long) spec.queues() * spec.ioDepth() * spec.blockSize();
        if (ringBytes + bufferBytes > MAX_RAM) {
            throw new IllegalArgumentException(id + ": the workload needs " + ((ringBytes + bufferBytes) >> 20)
                    + " MiB of guest RAM (queues x iodepth x bs), at most " + (MAX_RAM >> 20) + " MiB can be had");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException(id + " is already running a workload");
        }
        try {
            GuestMemory ram = GuestMemory.allocate(RAM_BASE, (int) (ringBytes + bufferBytes));
            device.status(0);
            device.memory(ram);
            VirtioBlkDriver driver = new VirtioBlkDriver(device, ram, RAM_BASE, ringBytes);
            driver.initialise(spec.queues(), queueSize, VirtioBlkDriver.SUPPORTED);
            return Workload.run(driver, ram, RAM_BASE + ringBytes, bufferBytes, spec, progress);
        } finally {
            device.status(0);
            device.memory(NO_RAM);
            running.set(false);
        }
    }

    private void check(WorkloadSpec spec) {
        if (spec.queues() > device.numQueues()) {
            throw new IllegalArgumentException(id + " has " + device.numQueues() + " queues, the workload asks for "
                    + spec.queues());
        }
        if (spec.ioDepth() > queueSize) {
            throw new IllegalArgumentException(id + "'s queues hold " + queueSize + " requests, the workload asks for"
                    + " an iodepth of " + spec.ioDepth());
        }
    }
}
