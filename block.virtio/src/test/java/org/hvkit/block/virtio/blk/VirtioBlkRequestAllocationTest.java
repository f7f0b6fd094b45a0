package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.BlkFixture.DATA;
import static org.hvkit.block.virtio.blk.BlkFixture.HEADER;
import static org.hvkit.block.virtio.blk.BlkFixture.STATUS;

import java.lang.management.ManagementFactory;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.queue.VirtqueueElement;
import org.junit.jupiter.api.Test;

/** Steady state on the null backend: handling a request allocates nothing. */
class VirtioBlkRequestAllocationTest {

    @Test
    void shouldAllocateNothingPerRequestInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BlkFixture f = new BlkFixture(VirtioBlkConfig.defaults(1 << 20, 1, BlkFixture.QUEUE_SIZE),
                new NullBackend(1 << 20, false), "id");
        f.header(VirtioBlkProtocol.T_IN, 8);
        long[] addresses = {HEADER, DATA, STATUS};
        int[] lengths = {16, 4096, 1};
        run(f, addresses, lengths, 200_000);

        long before = threads.getCurrentThreadAllocatedBytes();
        run(f, addresses, lengths, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated / 100_000.0).isLessThan(1.0);
    }

    private static void run(BlkFixture f, long[] addresses, int[] lengths, int requests) {
        for (int i = 0; i < requests; i++) {
            f.driver.addChain(addresses, lengths, 1);
            f.driver.publish();
            VirtqueueElement e = f.queue.pop();
            f.handler.handle(e);
            f.queue.publish();
            f.driver.pollUsed();
        }
    }
}
