package org.hvkit.block.virtio.blk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hvkit.block.virtio.blk.BlkFixture.CHUNK;
import static org.hvkit.block.virtio.blk.BlkFixture.DATA;
import static org.hvkit.block.virtio.blk.BlkFixture.HEADER;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random requests: nothing thrown, and every one either completes with a status or is a device error. */
class VirtioBlkRequestFuzzTest {

    private static final int[] TYPES = {0, 1, 4, 8, 11, 13, 2, 9, 12, 0x8000_0000, -1};

    @Test
    void shouldNeverThrowForRandomRequests() {
        Random random = new Random(20261126);
        for (int round = 0; round < 2000; round++) {
            BlkFixture f = BlkFixture.ram(new VirtioBlkConfig(64, 0, 6, 512, 1, 16, 2, 1, 16, 2, round % 2 == 0));
            byte[] noise = new byte[64];
            random.nextBytes(noise);
            f.memory.write(HEADER, noise, 0, noise.length);
            f.memory.writeInt(HEADER, TYPES[random.nextInt(TYPES.length)]);
            f.memory.writeLong(HEADER + 8, random.nextBoolean() ? random.nextInt(80) : random.nextLong());
            random.nextBytes(noise);
            f.memory.write(DATA, noise, 0, noise.length);
            int n = 1 + random.nextInt(8);
            long[] addresses = new long[n];
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                addresses[i] = i == 0 ? HEADER : DATA + (long) (i - 1) * CHUNK;
                lengths[i] = 1 + random.nextInt(random.nextBoolean() ? 40 : CHUNK);
            }

            int result = f.run(addresses, lengths, random.nextInt(n + 1));

            assertThat(result).isIn(VirtioBlkRequestHandler.HANDLED, VirtioBlkRequestHandler.DEVICE_ERROR);
            assertThat(f.usedLength == -1).isEqualTo(result == VirtioBlkRequestHandler.DEVICE_ERROR);
            assertThat(f.handler.inFlight()).isZero();
            assertThat(f.queue.isBroken()).isFalse();
        }
    }
}
