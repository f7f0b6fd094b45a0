package org.hvkit.block.virtio.vhost;

import java.io.FileDescriptor;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/** A non-blocking eventfd, as QEMU makes its kick and call notifiers. */
final class TestEventfd implements AutoCloseable {

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    final int number;
    private final byte[] counter = new byte[8];

    TestEventfd() {
        this.number = TestCalls.eventfd(0, TestCalls.EFD_NONBLOCK | TestCalls.EFD_CLOEXEC);
        if (number < 0) {
            throw new IllegalStateException("eventfd failed");
        }
    }

    FileDescriptor fd() throws IOException {
        return FileDescriptorCast.unsafeUsing(number).getFileDescriptor();
    }

    /** A new descriptor for the same eventfd, for a receiver that closes what it is given. */
    FileDescriptor dupFd() throws IOException {
        int copy = TestCalls.dup(number);
        if (copy < 0) {
            throw new IOException("dup failed");
        }
        return FileDescriptorCast.unsafeUsing(copy).getFileDescriptor();
    }

    void signal() {
        TestCalls.write(number, ONE, ONE.length);
    }

    /** Reads and clears the counter; 0 if it was not signalled. */
    long take() {
        if (TestCalls.read(number, counter, counter.length) != 8) {
            return 0;
        }
        return java.nio.ByteBuffer.wrap(counter).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Override
    public void close() {
        TestCalls.close(number);
    }
}
