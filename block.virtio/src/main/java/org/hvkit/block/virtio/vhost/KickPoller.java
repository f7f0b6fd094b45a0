package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One thread per device that waits on the front-end's kick eventfds with {@code poll(2)} and
 * turns each kick into a call of {@code onKick} with the queue index; the device sets that
 * queue's event notifier, which runs the handler in the queue's context. QEMU's kick
 * eventfds are non-blocking and not JDK channels, so no JDK selector can wait on them.
 *
 * <p>Per kick this costs the {@code poll} wake-up, one 8-byte {@code read} that clears the
 * eventfd, and the notifier's {@code set()} (which wakes the queue's loop if it sleeps):
 * two system calls on this thread beyond what QEMU's own event loop would make, and one
 * thread hand-off.
 *
 * <p>Ownership: the poller owns the kick descriptors it is given; it closes a descriptor once
 * it no longer waits on it (after {@link #unwatch}, {@link #clear()} or {@link #close()}), in
 * its own thread between two polls, so no poll ever sees a descriptor number that was closed
 * and reused meanwhile.
 *
 * <p>Thread-safety: {@link #watch}, {@link #unwatch}, {@link #clear()} and {@link #close()}
 * from any thread (they take this object's lock, which the polling thread takes only between
 * polls); {@code onKick} runs in the poller's thread and must not block.
 */
final class KickPoller implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KickPoller.class.getName());
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
    /** The longest an unwatch or clear waits for the poller. */
    private static final long APPLY_TIMEOUT_NANOS = 5_000_000_000L;

    private final IntConsumer onKick;
    private final int wakeFd;
    private final Thread thread;
    /** Guarded by this: the kick descriptor of each queue, null if none. */
    private final FileDescriptor[] kicks;
    /** Guarded by this: descriptors to close in the polling thread before its next poll. */
    private final List<FileDescriptor> retired = new ArrayList<>();
    /** Guarded by this: set when the table changed; the poller rebuilds its poll set. */
    private boolean changed;
    /** Guarded by this: changes made, and changes the poller has applied (its set rebuilt, retired closed). */
    private long changes;
    private long applied;
    /** Guarded by this. */
    private boolean closed;

    /**
     * Starts the polling thread.
     *
     * @param name the thread's name
     * @param queues the number of queues
     * @param onKick called with the queue index for each kick, in the poller's thread
     * @throws IOException if no eventfd can be made for waking the poller
     */
    KickPoller(String name, int queues, IntConsumer onKick) throws IOException {
        this.onKick = onKick;
        this.kicks = new FileDescriptor[queues];
        this.wakeFd = LinuxCalls.eventfd(0, LinuxCalls.EFD_NONBLOCK | LinuxCalls.EFD_CLOEXEC);
        if (wakeFd < 0) {
            throw new IOException("eventfd failed");
        }
        this.changed = true; // the first iteration builds the poll set, which always holds wakeFd
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits on {@code kick} for queue {@code queue}, replacing (and later closing) the previous one. */
    synchronized void watch(int queue, FileDescriptor kick) {
        if (closed) {
            Descriptors.close(kick);
            return;
        }
        retire(kicks[queue]);
        kicks[queue] = kick;
        changed();
    }

    /**
     * Stops waiting on queue {@code queue}'s kick descriptor and closes it; returns once the
     * poller no longer polls it and has closed it.
     */
    synchronized void unwatch(int queue) {
        retire(kicks[queue]);
        kicks[queue] = null;
        changed();
        awaitApplied();
    }

    /**
     * Stops waiting on every kick descriptor and closes them; returns once the poller no
     * longer polls them and has closed them. The owner of the socket they came on must call
     * this before closing that socket, which closes what it received and is still open: a
     * descriptor number closed under a running poll could be reused and read by mistake.
     */
    synchronized void clear() {
        for (int i = 0; i < kicks.length; i++) {
            retire(kicks[i]);
            kicks[i] = null;
        }
        changed();
        awaitApplied();
    }

    /** Under the lock, not in the polling thread: wait (releasing the lock) for the poller to apply the last change. */
    private void awaitApplied() {
        long deadline = System.nanoTime() + APPLY_TIMEOUT_NANOS;
        long target = changes;
        boolean interrupted = false;
        while (applied < target && thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.ERROR, "{0} did not apply a change in time", thread.getName());
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void retire(FileDescriptor fd) {
        if (fd != null) {
            retired.add(fd);
        }
    }

    /** Under the lock: wake the poller so it rebuilds its set. */
    private void changed() {
        changed = true;
        changes++;
        LinuxCalls.write(wakeFd, ONE, ONE.length);
    }

    /** Stops the thread, waits for it, and closes every descriptor. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clear();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The polling thread. */
    private void run() {
        int[] pollfds = new int[0];
        int[] queueOf = new int[0];
        byte[] counter = new byte[8];
        while (true) {
            synchronized (this) {
                if (changed) {
                    changed = false;
                    Descriptors.closeAll(retired.toArray(new FileDescriptor[0]));
                    retired.clear();
                    applied = changes;
                    notifyAll(); // pairs with the wait in awaitApplied
                    if (closed) {
                        break;
                    }
                    int n = 0;
                    for (FileDescriptor fd : kicks) {
                        n += fd == null ? 0 : 1;
                    }
                    pollfds = new int[2 * (n + 1)];
                    queueOf = new int[n + 1];
                    pollfds[0] = wakeFd;
                    pollfds[1] = LinuxCalls.POLLIN;
                    int k = 1;
                    for (int q = 0; q < kicks.length; q++) {
                        if (kicks[q] != null) {
                            pollfds[2 * k] = numberOf(kicks[q]);
                            pollfds[2 * k + 1] = LinuxCalls.POLLIN;
                            queueOf[k++] = q;
                        }
                    }
                }
            }
            pollOnce(pollfds, queueOf, counter);
        }
        LinuxCalls.close(wakeFd);
    }

    /** The polling thread: one poll, then a read and a kick for each ready descriptor. */
    private void pollOnce(int[] pollfds, int[] queueOf, byte[] counter) {
        int entries = pollfds.length / 2;
        for (int k = 0; k < entries; k++) {
            pollfds[2 * k + 1] &= 0xffff; // clear revents
        }
        if (LinuxCalls.poll(pollfds, entries, -1) <= 0) {
            return; // EINTR: poll again
        }
        for (int k = 0; k < entries; k++) {
            int revents = pollfds[2 * k + 1] >>> 16;
            if (revents == 0) {
                continue;
            }
            if ((revents & ~LinuxCalls.POLLIN) != 0) {
                // Not an eventfd that works: stop polling it rather than spin on it.
                LOG.log(System.Logger.Level.WARNING, "{0}: kick descriptor of queue {1} failed (revents 0x{2}); "
                        + "no longer polled", Thread.currentThread().getName(), k > 0 ? queueOf[k] : -1,
                        Integer.toHexString(revents));
                pollfds[2 * k] = -1;
                continue;
            }
            LinuxCalls.read(pollfds[2 * k], counter, counter.length);
            if (k > 0) {
                onKick.accept(queueOf[k]);
            }
        }
    }

    private static int numberOf(FileDescriptor fd) {
        try {
            return Descriptors.number(fd);
        } catch (IOException e) {
            return -1; // poll ignores negative descriptors
        }
    }
}
