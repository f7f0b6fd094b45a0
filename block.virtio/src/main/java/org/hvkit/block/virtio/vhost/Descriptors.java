package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Refuses anything but an eventfd, for the kick and call descriptors the front-end sends.
     * It chooses them: a regular file as a kick would be refused by epoll and fail every select
     * of the IOThread, a socket or pipe that stays readable would run the kick handler in every
     * poll, and a blocking pipe as a call would block the IOThread once full.
     *
     * @return the descriptor's number
     * @throws IOException if {@code fd} is not an open eventfd
     */
    static int requireEventfd(FileDescriptor fd) throws IOException {
        int number = number(fd);
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + number)).toString();
        } catch (IOException e) {
            throw new IOException("descriptor " + number + " is not open");
        }
        if (!target.equals("anon_inode:[eventfd]")) {
            throw new IOException("descriptor " + number + " is not an eventfd but " + target);
        }
        return number;
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
