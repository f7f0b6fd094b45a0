package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.hvkit.block.virtio.memory.GuestMemory;
import org.junit.jupiter.api.Test;

class VerifyPatternTest {

    private static final long BUF = 0x1000;
    private static final int LEN = 4096;

    private final GuestMemory memory = GuestMemory.allocate(BUF, 2 * LEN);

    @Test
    void shouldMatchThePatternItWrote() {
        VerifyPattern.fill(memory, BUF, LEN, 8192, 5);

        assertThat(VerifyPattern.matches(memory, BUF, LEN, 8192, 5)).isTrue();
        assertThat(memory.readLong(BUF)).isEqualTo(8192);
        assertThat(memory.readLong(BUF + 8)).isEqualTo(5);
    }

    @Test
    void shouldNotMatchAnotherGenerationOrOffset() {
        VerifyPattern.fill(memory, BUF, LEN, 8192, 5);

        assertThat(VerifyPattern.matches(memory, BUF, LEN, 8192, 4)).isFalse();
        assertThat(VerifyPattern.matches(memory, BUF, LEN, 4096, 5)).isFalse();
    }

    @Test
    void shouldNotMatchWhenTheLastByteDiffers() {
        VerifyPattern.fill(memory, BUF, LEN, 0, 1);
        memory.writeByte(BUF + LEN - 1, (byte) (memory.readByte(BUF + LEN - 1) ^ 1));

        assertThat(VerifyPattern.matches(memory, BUF, LEN, 0, 1)).isFalse();
    }

    @Test
    void shouldNotMatchZeroes() {
        assertThat(VerifyPattern.matches(memory, BUF, LEN, 0, 1)).isFalse();
    }

    @Test
    void shouldWriteDifferentDataForTheSameBlockInTwoGenerations() {
        VerifyPattern.fill(memory, BUF, LEN, 0, 1);
        VerifyPattern.fill(memory, BUF + LEN, LEN, 0, 2);

        assertThat(memory.readLong(BUF + 16)).isNotEqualTo(memory.readLong(BUF + LEN + 16));
    }
}
