package org.hvkit.block.virtio.vhost;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** System calls only tests need: the front-end's eventfds and its {@code poll(2)}, {@code dup(2)}. */
final class TestCalls {

    /** {@code POLLIN}. */
    static final int POLLIN = 0x1;
    /** {@code EFD_NONBLOCK}, which is {@code O_NONBLOCK} on every Linux architecture we run on. */
    static final int EFD_NONBLOCK = 0x800;
    /** {@code EFD_CLOEXEC}, which is {@code O_CLOEXEC}. */
    static final int EFD_CLOEXEC = 0x80000;

    static {
        Native.register(TestCalls.class, NativeLibrary.getInstance("c"));
    }

    private TestCalls() {
    }

    /**
     * {@code poll(2)} over {@code nfds} entries of {@code struct pollfd}, two ints each: the
     * descriptor, then events in the low and revents in the high half (little-endian).
     */
    static native int poll(int[] pollfds, long nfds, int timeoutMillis);

    /** {@code dup(2)}: a new descriptor, or -1. */
    static native int dup(int fd);

    /** {@code eventfd(2)}: a new descriptor, or -1. */
    static native int eventfd(int initialValue, int flags);

    /** {@code write(2)}: bytes written, or -1. */
    static native long write(int fd, byte[] buffer, long count);

    /** {@code read(2)}: bytes read, or -1 (EAGAIN on an empty non-blocking eventfd). */
    static native long read(int fd, byte[] buffer, long count);

    /** {@code close(2)}. */
    static native int close(int fd);
}
