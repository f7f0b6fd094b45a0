package org.hvkit.block.virtio.driver;

/**
 * One request position of a workload: its queue, its data buffer in guest RAM, and the
 * request it carries now. It is its own completion callback, so a request allocates none.
 *
 * <p>Thread-safety: none; the workload's thread submits and the driver calls
 * {@link #completed} in the same thread, inside reapCompletions.
 */
final class WorkloadSlot implements VirtioBlkDriver.RequestCallback {

    final Workload owner;
    final int queue;
    final int index;
    final long buffer;
    long block;
    boolean write;
    int generation;
    long startNanos;

    WorkloadSlot(Workload owner, int queue, int index, long buffer) {
        this.owner = owner;
        this.queue = queue;
        this.index = index;
        this.buffer = buffer;
    }

    /** Takes on a request about to be submitted. */
    void begin(long newBlock, boolean newWrite, int newGeneration, long now) {
        block = newBlock;
        write = newWrite;
        generation = newGeneration;
        startNanos = now;
    }

    @Override
    public void completed(int status) {
        owner.completed(this, status);
    }
}
