package org.hvkit.block.virtio.driver;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * The driver's interrupt handler: the device raises a per-queue pending flag or the
 * configuration-changed flag from any thread, and wakes the driver thread if it is parked in
 * {@link #await(long)}. Nothing else runs in the interrupt; completions are reaped by the
 * driver thread.
 *
 * <p>No lost wake-up: the interrupt side writes its flag (volatile) and then reads
 * {@code waiter} (volatile); the driver thread writes {@code waiter} (volatile) and then
 * reads the flags (volatile). Volatile accesses are totally ordered, so either the driver
 * sees the flag and does not park, or the interrupt sees the waiter and unparks it; an
 * unpark that comes before the park leaves a permit, and the park returns at once.
 *
 * <p>Thread-safety: {@link #queueInterrupt} and {@link #configChanged} from any thread,
 * never blocking and allocating nothing; every other method from the one driver thread.
 */
final class DriverInterrupts implements InterruptSink {

    private final AtomicIntegerArray pending;
    /** Set once by the device; a new instance is made at each initialisation. */
    private volatile boolean configChanged;
    /** The driver thread while it is in {@link #await}, otherwise null. */
    private volatile Thread waiter;

    /**
     * Flags for {@code queues} queues, all clear.
     *
     * @param queues the number of queues
     */
    DriverInterrupts(int queues) {
        this.pending = new AtomicIntegerArray(queues);
    }

    @Override
    public void queueInterrupt(int queue) {
        if (queue >= 0 && queue < pending.length()) {
            // Volatile set, then the volatile read of waiter in wake(): pairs with await's
            // write of waiter and its re-check of the flags.
            pending.set(queue, 1);
            wake();
        }
    }

    @Override
    public void configChanged() {
        // Volatile write before wake()'s volatile read of waiter, as in queueInterrupt.
        configChanged = true;
        wake();
    }

    private void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** True if the queue was interrupted since its flag was last cleared. */
    boolean pending(int queue) {
        return pending.get(queue) != 0;
    }

    /**
     * Clears a queue's flag before its used ring is reaped. Volatile write: an interrupt
     * that comes during the reap sets it again and is seen by the next check.
     */
    void clear(int queue) {
        pending.set(queue, 0);
    }

    /** True if the device signalled a configuration change (e.g. NEEDS_RESET). */
    boolean configChangedSeen() {
        return configChanged;
    }

    private boolean anySignal() {
        if (configChanged) {
            return true;
        }
        for (int q = 0; q < pending.length(); q++) {
            if (pending.get(q) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parks the calling (driver) thread until a queue interrupt or a configuration change is
     * pending, the timeout passes or the thread is interrupted. Allocates nothing.
     *
     * @param timeoutNanos the longest wait; 0 or less only checks
     * @return true if a queue interrupt or a configuration change is pending
     */
    boolean await(long timeoutNanos) {
        if (anySignal()) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        Thread self = Thread.currentThread();
        // Volatile write before the volatile reads in anySignal(): pairs with wake().
        waiter = self;
        try {
            while (!anySignal()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || self.isInterrupted()) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
