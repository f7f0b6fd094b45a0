package org.hvkit.block.virtio.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.hvkit.block.virtio.memory.GuestMemory;
import org.junit.jupiter.api.Test;

class NullBackendTest {

    private final GuestMemory memory = GuestMemory.allocate(0, 4096);
    private final RecordingCompletion done = new RecordingCompletion();

    @Test
    void shouldLeaveGuestBuffersUntouchedOnRead() {
        memory.writeLong(0, 0x1122334455667788L);
        IoVector iov = new IoVector(1);
        iov.add(0, 512);

        new NullBackend(1 << 20, false).read(memory, iov, 0, done);

        assertThat(done.status).isEqualTo(BlockCompletion.OK);
        assertThat(memory.readLong(0)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void shouldFailARangePastTheCapacity() {
        new NullBackend(1024, false).writeZeroes(512, 1024, false, done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldFailWritesWhenReadOnly() {
        IoVector iov = new IoVector(1);
        iov.add(0, 512);

        new NullBackend(1024, true).write(memory, iov, 0, done);

        assertThat(done.status).isEqualTo(BlockCompletion.IO_ERROR);
    }

    @Test
    void shouldCompleteFlushOnceAndAtOnce() {
        new NullBackend(1024, true).flush(done);

        assertThat(done.calls).isEqualTo(1);
        assertThat(done.status).isEqualTo(BlockCompletion.OK);
    }
}
