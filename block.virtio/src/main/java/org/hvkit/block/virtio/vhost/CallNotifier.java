package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.hvkit.block.virtio.transport.InterruptSink;

/**
 * Queue interrupts as the front-end's call eventfds: each interrupt writes the 8-byte
 * value 1, which QEMU (or KVM's irqfd) turns into the guest's interrupt. A queue without a
 * call descriptor sends none. Configuration changes have no channel here (it would be the
 * back-end request channel, which this back-end does not offer): a queue that fails on a
 * guest error is logged, and the front-end sees that queue make no more progress.
 *
 * <p>Ownership: the notifier owns the call descriptors it is given. The back-end replaces
 * or removes a queue's descriptor only while that queue is stopped, so no interrupt writes
 * to a descriptor as it is closed.
 *
 * <p>Thread-safety: {@link #queueInterrupt} from the queue's context thread, lock-free and
 * without allocating; {@link #set} from the connection's thread.
 */
final class CallNotifier implements InterruptSink {

    private static final System.Logger LOG = System.getLogger(CallNotifier.class.getName());
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private final String deviceId;
    /** Per queue; written by the connection thread while the queue is stopped, read by its context. */
    private final AtomicReferenceArray<FileOutputStream> calls;

    CallNotifier(String deviceId, int queues) {
        this.deviceId = deviceId;
        this.calls = new AtomicReferenceArray<>(queues);
    }

    /**
     * Sets or removes a queue's call descriptor, closing the previous one. Only while that
     * queue is stopped.
     *
     * @param queue the queue index
     * @param fd the new descriptor, owned from now on, or null for none
     */
    void set(int queue, FileDescriptor fd) {
        FileOutputStream previous = calls.getAndSet(queue, fd == null ? null : new FileOutputStream(fd));
        if (previous != null) {
            try {
                previous.close();
            } catch (IOException e) {
                // Our own descriptor: nothing to do if closing it fails.
            }
        }
    }

    /** Removes and closes every call descriptor. Only while every queue is stopped. */
    void clear() {
        for (int i = 0; i < calls.length(); i++) {
            set(i, null);
        }
    }

    @Override
    public void queueInterrupt(int queue) {
        FileOutputStream call = calls.get(queue);
        if (call == null) {
            return;
        }
        try {
            call.write(ONE);
        } catch (IOException e) {
            // The front-end went away; the connection's end stops this queue soon.
        }
    }

    @Override
    public void configChanged() {
        LOG.log(System.Logger.Level.WARNING, "virtio-blk ''{0}'': a queue stopped on a guest error; the guest "
                + "must reset the device to use it again", deviceId);
    }
}
