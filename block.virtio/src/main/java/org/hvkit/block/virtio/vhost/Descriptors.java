package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * File descriptors received with SCM_RIGHTS: their numbers, and closing them.
 *
 * <p>Thread-safety: any thread; a descriptor is closed by the one party that owns it.
 */
final class Descriptors {

    private Descriptors() {
    }

    /**
     * The descriptor's number, for the system calls and {@code /proc/self/fd}.
     *
     * @throws IOException if the descriptor is not valid
     */
    static int number(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.using(fd).as(Integer.class);
    }

    /** Closes a descriptor, ignoring one that is already closed; null is ignored. */
    static void close(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        try {
            new FileInputStream(fd).close();
        } catch (IOException e) {
            // Closing a descriptor we own cannot fail in a way we could act on.
        }
    }

    /** Closes every descriptor of an array; nulls are skipped. */
    static void closeAll(FileDescriptor[] fds) {
        if (fds != null) {
            for (FileDescriptor fd : fds) {
                close(fd);
            }
        }
    }
}
