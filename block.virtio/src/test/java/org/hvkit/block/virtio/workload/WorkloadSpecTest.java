package org.hvkit.block.virtio.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadSpecTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private static WorkloadSpec spec(int blockSize, int ioDepth, int queues, Duration runtime, long ioCount,
            int readPercent) {
        return new WorkloadSpec(ReadWriteMode.RANDRW, blockSize, ioDepth, queues, runtime, ioCount, false,
                readPercent, 1);
    }

    @Test
    void shouldDefaultToNoVerifyNoCountHalfReadsAndSeedOne() {
        WorkloadSpec s = WorkloadSpec.of(ReadWriteMode.RANDREAD, 4096, 32, 4, SECOND);

        assertThat(s).isEqualTo(new WorkloadSpec(ReadWriteMode.RANDREAD, 4096, 32, 4, SECOND, 0, false, 50, 1));
    }

    @Test
    void shouldChangeOneFieldPerWither() {
        WorkloadSpec s = WorkloadSpec.of(ReadWriteMode.RANDRW, 512, 1, 1, SECOND);

        assertThat(s.withVerify(true).verify()).isTrue();
        assertThat(s.withIoCount(7).ioCount()).isEqualTo(7);
        assertThat(s.withReadPercent(70).readPercent()).isEqualTo(70);
        assertThat(s.withSeed(42).seed()).isEqualTo(42);
        assertThat(s.withIoCount(1).withRuntime(Duration.ZERO).runtime()).isZero();
        assertThat(s.withSeed(42).withSeed(1)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256, 513, 1000, (1 << 20) + 512})
    void shouldRejectABlockSizeThatIsNotAMultipleOf512UpTo1MiB(int blockSize) {
        assertThatThrownBy(() -> spec(blockSize, 1, 1, SECOND, 0, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("blockSize must be a multiple of 512 from 512 to 1048576, not " + blockSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 1 << 20})
    void shouldAcceptBlockSizesFrom512To1MiB(int blockSize) {
        assertThat(spec(blockSize, 1, 1, SECOND, 0, 50).blockSize()).isEqualTo(blockSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1025})
    void shouldRejectAnIoDepthOutside1To1024(int ioDepth) {
        assertThatThrownBy(() -> spec(512, ioDepth, 1, SECOND, 0, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ioDepth must be from 1 to 1024, not " + ioDepth);
    }

    @Test
    void shouldRejectNoQueues() {
        assertThatThrownBy(() -> spec(512, 1, 0, SECOND, 0, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queues must be at least 1, not 0");
    }

    @Test
    void shouldRejectANegativeRuntime() {
        assertThatThrownBy(() -> spec(512, 1, 1, Duration.ofMillis(-1), 10, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runtime must not be negative, not PT-0.001S");
    }

    @Test
    void shouldRejectANegativeIoCount() {
        assertThatThrownBy(() -> spec(512, 1, 1, SECOND, -1, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ioCount must not be negative, not -1");
    }

    @Test
    void shouldRejectNeitherRuntimeNorIoCount() {
        assertThatThrownBy(() -> spec(512, 1, 1, Duration.ZERO, 0, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a workload needs a runtime or an ioCount greater than zero");
    }

    @Test
    void shouldAcceptAnIoCountWithoutRuntime() {
        assertThat(spec(512, 1, 1, Duration.ZERO, 5, 50).ioCount()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101})
    void shouldRejectAReadPercentOutside0To100(int readPercent) {
        assertThatThrownBy(() -> spec(512, 1, 1, SECOND, 0, readPercent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readPercent must be from 0 to 100, not " + readPercent);
    }

    @Test
    void shouldRejectAMissingModeOrRuntime() {
        assertThatThrownBy(() -> WorkloadSpec.of(null, 512, 1, 1, SECOND)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WorkloadSpec.of(ReadWriteMode.READ, 512, 1, 1, null))
                .isInstanceOf(NullPointerException.class);
    }
}
