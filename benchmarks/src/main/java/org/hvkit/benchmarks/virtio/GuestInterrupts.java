package org.hvkit.benchmarks.virtio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * The guest's interrupt controller: counts the queue interrupts the device raises. The guest
 * polls its used rings rather than waiting for them, so counting is all an interrupt does.
 *
 * <p>Thread-safety: {@link #queueInterrupt} from each queue's context thread; the device raises
 * a queue's interrupts only in that queue's thread, so every counter has one writer and needs
 * no read-modify-write atomic. {@link #total()} from any thread.
 */
final class GuestInterrupts implements InterruptSink {

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] perQueue;

    GuestInterrupts(int queues) {
        perQueue = new long[queues];
    }

    @Override
    public void queueInterrupt(int queue) {
        // Single writer: a plain read and an opaque store. Opaque keeps the 64-bit value
        // untorn and lets the guest thread see it without ordering anything else.
        COUNT.setOpaque(perQueue, queue, perQueue[queue] + 1);
    }

    @Override
    public void configChanged() {
        throw new IllegalStateException("the device needs a reset: a request or a ring was malformed");
    }

    /** Interrupts raised so far, over all queues; each counter read opaque, so possibly a moment stale. */
    long total() {
        long sum = 0;
        for (int q = 0; q < perQueue.length; q++) {
            sum += (long) COUNT.getOpaque(perQueue, q);
        }
        return sum;
    }
}
