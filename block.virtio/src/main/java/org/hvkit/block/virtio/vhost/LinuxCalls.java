package org.hvkit.block.virtio.vhost;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few Linux system calls the JDK has no API for, through JNA's direct mapping: putting a
 * descriptor the JDK did not make (the front-end's kick eventfds, which QEMU creates
 * non-blocking) under a number a JDK channel owns, finding that number, and reading an
 * eventfd without an exception when it is empty. Direct mapping passes primitive
 * arrays without allocating on the Java heap.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class LinuxCalls {

    /** {@code O_CLOEXEC}, for {@code dup3}. */
    static final int O_CLOEXEC = 0x80000;
    /** {@code FIONREAD}: the bytes a pipe holds, asked of either end. */
    static final long FIONREAD = 0x541B;
    /** {@code F_GETFL}: a descriptor's status flags. */
    static final int F_GETFL = 3;
    /** {@code O_ACCMODE}, and its value for a read-only descriptor. */
    static final int O_ACCMODE = 3;
    static final int O_RDONLY = 0;

    static {
        Native.register(LinuxCalls.class, NativeLibrary.getInstance("c"));
    }

    private LinuxCalls() {
    }

    /** {@code read(2)}: bytes read, or -1 (EAGAIN on an empty non-blocking eventfd). */
    static native long read(int fd, byte[] buffer, long count);

    /**
     * {@code dup3(2)}: makes {@code newFd} refer to what {@code oldFd} refers to, closing what
     * {@code newFd} referred to, in one step; {@code newFd}, or -1.
     */
    static native int dup3(int oldFd, int newFd, int flags);

    /** {@code ioctl(2)} with an {@code int} out-argument, as {@link #FIONREAD} takes: 0, or -1. */
    static native int ioctl(int fd, long request, int[] value);

    /** {@code fcntl(2)} with a command that takes no argument, as {@link #F_GETFL}: the result, or -1. */
    static native int fcntl(int fd, int command);
}
