package org.hvkit.block.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.queue.RingFixture.DATA;
import static org.hvkit.block.virtio.queue.RingFixture.EVENT_IDX;
import static org.hvkit.block.virtio.queue.RingFixture.INDIRECT;
import static org.hvkit.block.virtio.queue.RingFixture.TABLE;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random ring contents from a fixed seed: whatever the guest writes, nothing is thrown, every
 * popped segment lies in guest RAM, and every call returns.
 */
class SplitVirtqueueFuzzTest {

    private static final int SIZE = 8;
    private static final int ROUNDS = 3000;

    @Test
    void shouldNeverThrowOrYieldASegmentOutsideRamForRandomRings() {
        Random random = new Random(0x5eed);
        for (int round = 0; round < ROUNDS; round++) {
            RingFixture f = new RingFixture(SIZE, random.nextBoolean() ? INDIRECT | EVENT_IDX : INDIRECT);
            scribble(f, random);
            for (int step = 0; step < 2 * SIZE + 2; step++) {
                VirtqueueElement e = f.queue.pop();
                if (e != null) {
                    checkSegments(f, e);
                    f.queue.push(e.head(), random.nextInt());
                }
                f.queue.publish();
                f.queue.needsNotification();
                f.queue.enableGuestNotifications(random.nextBoolean());
            }
        }
    }

    private static void scribble(RingFixture f, Random random) {
        for (int i = 0; i < SIZE; i++) {
            f.driver.writeDescriptor(i, address(random), length(random), random.nextInt(8), random.nextInt(SIZE + 2));
            f.driver.offer(random.nextInt(SIZE + 1));
        }
        for (int i = 0; i < 2 * SIZE; i++) {
            long at = TABLE + 16L * i;
            f.memory.writeLong(at, address(random));
            f.memory.writeInt(at + 8, length(random));
            f.memory.writeShort(at + 12, (short) random.nextInt(8));
            f.memory.writeShort(at + 14, (short) random.nextInt(2 * SIZE + 1));
        }
        f.driver.setAvailIdx(random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(SIZE + 1));
        f.driver.setUsedEvent(random.nextInt(0x10000));
    }

    private static long address(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return random.nextLong();
            case 1:
                return TABLE + 16L * random.nextInt(2 * SIZE);
            default:
                return DATA + random.nextInt(0x1000);
        }
    }

    private static int length(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return random.nextInt();
            case 1:
                return 16 * random.nextInt(2 * SIZE + 1);
            default:
                return random.nextInt(0x100);
        }
    }

    private static void checkSegments(RingFixture f, VirtqueueElement e) {
        assertThat(e.readableCount() + e.writableCount()).isBetween(1, SIZE);
        assertThat(e.readableBytes() + e.writableBytes()).isLessThanOrEqualTo(ChainParser.MAX_CHAIN_BYTES);
        for (int i = 0; i < e.readableCount(); i++) {
            assertThat(f.memory.contains(e.readableAddress(i), e.readableLength(i))).isTrue();
            assertThat(e.readableLength(i)).isPositive();
        }
        for (int i = 0; i < e.writableCount(); i++) {
            assertThat(f.memory.contains(e.writableAddress(i), e.writableLength(i))).isTrue();
            assertThat(e.writableLength(i)).isPositive();
        }
    }
}
