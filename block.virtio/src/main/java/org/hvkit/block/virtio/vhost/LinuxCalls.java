package org.hvkit.block.virtio.vhost;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few Linux system calls the JDK has no API for, through JNA's direct mapping: waiting on
 * several descriptors that are not JDK channels (the front-end's kick eventfds, which QEMU
 * creates non-blocking), reading and writing them without an exception per empty read, and
 * an eventfd of our own to wake the waiting thread. Direct mapping passes primitive arrays
 * without allocating on the Java heap.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class LinuxCalls {

    /** {@code EFD_NONBLOCK}, which is {@code O_NONBLOCK} on every Linux architecture we run on. */
    static final int EFD_NONBLOCK = 0x800;
    /** {@code EFD_CLOEXEC}, which is {@code O_CLOEXEC}. */
    static final int EFD_CLOEXEC = 0x80000;
    /** {@code POLLIN}. */
    static final int POLLIN = 0x1;

    static {
        Native.register(LinuxCalls.class, NativeLibrary.getInstance("c"));
    }

    private LinuxCalls() {
    }

    /**
     * {@code poll(2)} over {@code nfds} entries of {@code struct pollfd}, two ints each: the
     * descriptor, then events in the low and revents in the high half (little-endian).
     */
    static native int poll(int[] pollfds, long nfds, int timeoutMillis);

    /** {@code read(2)}: bytes read, or -1 (EAGAIN on an empty non-blocking eventfd). */
    static native long read(int fd, byte[] buffer, long count);

    /** {@code write(2)}: bytes written, or -1. */
    static native long write(int fd, byte[] buffer, long count);

    /** {@code eventfd(2)}: a new descriptor, or -1. */
    static native int eventfd(int initialValue, int flags);

    /** {@code close(2)}. */
    static native int close(int fd);
}
