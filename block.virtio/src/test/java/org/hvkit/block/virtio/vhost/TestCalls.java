package org.hvkit.block.virtio.vhost;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** System calls only tests need: {@code poll(2)} for the test front-end, {@code dup(2)}. */
final class TestCalls {

    /** {@code POLLIN}. */
    static final int POLLIN = 0x1;

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
}
