package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hvkit.block.virtio.memory.GuestMemory;
import org.hvkit.block.virtio.queue.RingLayout;
import org.hvkit.block.virtio.queue.SplitVirtqueue;
import org.hvkit.block.virtio.queue.VirtioRing;
import org.junit.jupiter.api.Test;

class DriverRingTest {

    private static final long DATA = 0x8000;
    private static final long FEATURES = 1L << VirtioRing.F_INDIRECT_DESC;

    private final GuestMemory memory = GuestMemory.allocate(0x1000, 0x10000);
    private final RingLayout layout = RingLayout.contiguous(0x1000, 4);
    private final DriverRing driver = new DriverRing(memory, layout, FEATURES);
    private final SplitVirtqueue queue = new SplitVirtqueue(memory, layout, FEATURES);

    @Test
    void shouldRefuseAChainLongerThanTheFreeDescriptors() {
        driver.addChain(new long[] {DATA, DATA, DATA}, new int[] {1, 1, 1}, 3);

        assertThat(driver.addChain(new long[] {DATA, DATA}, new int[] {1, 1}, 2)).isEqualTo(-1);
        assertThat(driver.freeCount()).isEqualTo(1);
    }

    @Test
    void shouldUseOneDescriptorForAnIndirectChain() {
        driver.addIndirectChain(0x9000, new long[] {DATA, DATA, DATA, DATA, DATA}, new int[] {1, 1, 1, 1, 1}, 1);

        assertThat(driver.freeCount()).isEqualTo(3);
    }

    @Test
    void shouldReturnAReapedChainToTheFreeList() {
        int head = driver.addChain(new long[] {DATA, DATA + 8, DATA + 16}, new int[] {8, 8, 8}, 1);
        driver.publish();
        queue.push(queue.pop().head(), 16);
        queue.publish();

        assertThat(driver.pollUsed()).isEqualTo(head);
        assertThat(driver.freeCount()).isEqualTo(4);
        assertThat(driver.addChain(new long[] {DATA, DATA, DATA, DATA}, new int[] {1, 1, 1, 1}, 4)).isNotEqualTo(-1);
    }

    @Test
    void shouldRejectAChainWithoutBuffers() {
        assertThatThrownBy(() -> driver.addChain(new long[0], new int[0], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
