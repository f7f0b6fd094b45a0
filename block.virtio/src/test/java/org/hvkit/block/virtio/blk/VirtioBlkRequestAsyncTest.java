package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.BlkFixture.DATA;
import static org.hvkit.block.virtio.blk.BlkFixture.HEADER;
import static org.hvkit.block.virtio.blk.BlkFixture.STATUS;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.BlockCompletion;
import org.hvkit.block.virtio.backend.IoVector;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.memory.GuestMemoryException;
import org.junit.jupiter.api.Test;

/** A backend that completes later, as the file backend will: the request is pushed only then. */
class VirtioBlkRequestAsyncTest {

    /** Keeps every completion until the test runs it. */
    static class DeferredBackend implements BlockBackend {
        final List<BlockCompletion> pending = new ArrayList<>();

        @Override
        public long capacity() {
            return 64 * 512;
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            pending.add(done);
        }

        @Override
        public void write(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
            pending.add(done);
        }

        @Override
        public void flush(BlockCompletion done) {
            pending.add(done);
        }

        @Override
        public void discard(long offset, long length, BlockCompletion done) {
            pending.add(done);
        }

        @Override
        public void writeZeroes(long offset, long length, boolean mayUnmap, BlockCompletion done) {
            pending.add(done);
        }
    }

    private final DeferredBackend backend = new DeferredBackend();
    private final BlkFixture f = new BlkFixture(new VirtioBlkConfig(64, 0, 14, 512, 1, 8, 2, 1, 8, 2, true),
            backend, "");

    @Test
    void shouldPushNothingUntilTheBackendCompletes() {
        f.write(0, 512);

        assertThat(f.usedLength).isEqualTo(-1);
        assertThat(f.handler.inFlight()).isEqualTo(1);
        assertThat(f.status()).isEqualTo(0xff);
    }

    @Test
    void shouldPushWithTheStatusWhenTheBackendCompletesLater() {
        f.read(0, 1024);

        backend.pending.get(0).complete(BlockCompletion.OK);
        f.reap();

        assertThat(f.status()).isEqualTo(VirtioBlkProtocol.S_OK);
        assertThat(f.usedLength).isEqualTo(1025);
        assertThat(f.handler.inFlight()).isZero();
    }

    @Test
    void shouldMapABackendIoErrorToIoerr() {
        f.request(VirtioBlkProtocol.T_FLUSH, 0);

        backend.pending.get(0).complete(BlockCompletion.IO_ERROR);
        f.reap();

        assertThat(f.status()).isEqualTo(VirtioBlkProtocol.S_IOERR);
        assertThat(f.usedLength).isEqualTo(1);
    }

    @Test
    void shouldFinishASeveralSegmentDiscardOnlyAfterItsLastCompletion() {
        f.ranges(VirtioBlkProtocol.T_DISCARD, new long[] {0, 1, 0}, new long[] {4, 1, 0});

        backend.pending.get(0).complete(BlockCompletion.OK);
        f.reap();
        assertThat(f.usedLength).isEqualTo(-1);

        backend.pending.get(1).complete(BlockCompletion.OK);
        f.reap();
        assertThat(f.usedLength).isEqualTo(1);
        assertThat(f.status()).isEqualTo(VirtioBlkProtocol.S_OK);
    }

    @Test
    void shouldKeepSeveralRequestsInFlightWithTheirOwnStatusBuffers() {
        f.header(VirtioBlkProtocol.T_FLUSH, 0);
        f.run(new long[] {HEADER, STATUS}, new int[] {16, 1}, 1);
        f.run(new long[] {HEADER, DATA}, new int[] {16, 1}, 1);

        backend.pending.get(1).complete(BlockCompletion.OK);
        backend.pending.get(0).complete(BlockCompletion.UNSUPPORTED);
        f.reap();

        assertThat(f.memory.readByte(DATA)).isEqualTo((byte) VirtioBlkProtocol.S_OK);
        assertThat(f.status()).isEqualTo(VirtioBlkProtocol.S_UNSUPP);
        assertThat(f.handler.inFlight()).isZero();
    }

    @Test
    void shouldTurnAGuestMemoryExceptionFromTheBackendIntoADeviceError() {
        BlkFixture g = new BlkFixture(VirtioBlkConfig.defaults(64 * 512, 1, BlkFixture.QUEUE_SIZE),
                new DeferredBackend() {
                    @Override
                    public void read(GuestMemory memory, IoVector iov, long offset, BlockCompletion done) {
                        throw new GuestMemoryException(iov.address(0), iov.length(0));
                    }
                }, "");

        assertThat(g.read(0, 512)).isEqualTo(VirtioBlkRequestHandler.DEVICE_ERROR);

        assertThat(g.usedLength).isEqualTo(-1);
        assertThat(g.handler.inFlight()).isZero();
    }
}
