package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

class FioArgsTest {

    private static final String DEVICES = "devices: vblk0";

    private static FioArgs parse(Object... words) {
        return FioArgs.parse(Arrays.asList(words), DEVICES);
    }

    private static WorkloadSpec spec(Object... words) {
        return parse(words).spec();
    }

    @Test
    void shouldTakeFioDefaultsForWhatIsNotGiven() {
        FioArgs args = parse("vblk0");

        assertThat(args.device()).isEqualTo("vblk0");
        assertThat(args.json()).isFalse();
        assertThat(args.spec()).isEqualTo(new WorkloadSpec(ReadWriteMode.RANDREAD, 4096, 1, 1, Duration.ofSeconds(10),
                0, false, 50, 1));
    }

    @Test
    void shouldReadEveryOptionWithItsValueAfterItOrAfterAnEqualsSign() {
        WorkloadSpec spec = spec("--rw", "randrw", "--bs=8k", "--iodepth", 8L, "--queues=2", "--runtime", "2s",
                "--verify", "--number_ios", 5000L, "--rwmixread=70", "--randseed", 42L, "vblk0", "--json");

        assertThat(spec).isEqualTo(new WorkloadSpec(ReadWriteMode.RANDRW, 8192, 8, 2, Duration.ofSeconds(2), 5000,
                true, 70, 42));
        assertThat(parse("vblk0", "-j").json()).isTrue();
    }

    @Test
    void shouldAcceptARuntimeOfZeroWithAnIoCount() {
        assertThat(spec("vblk0", "--runtime", 0L, "--number_ios", 100L).runtime()).isZero();
    }

    @Test
    void shouldNameTheDevicesWhenTheDeviceIsMissing() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--rw", "read"))
                .withMessage("missing device; devices: vblk0");
    }

    @Test
    void shouldRefuseTwoDevices() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("vblk0", "vblk1"))
                .withMessage("one device only, not vblk0 vblk1");
    }

    @Test
    void shouldNameAnUnknownOptionAndListTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("vblk0", "--direct", "1"))
                .withMessageStartingWith("unknown option '--direct'; options: ")
                .withMessageContaining("--rw").withMessageContaining("--verify");
    }

    @Test
    void shouldSayWhenAnOptionHasNoValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("vblk0", "--rw"))
                .withMessage("--rw needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("vblk0", "--rw", "--json"))
                .withMessage("--rw needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("vblk0", "--bs=", "--json"))
                .withMessage("--bs needs a value");
    }

    @Test
    void shouldTakeWordsGogoMadeIntoOtherTypesAsTyped() {
        assertThat(parse((Object) null).device()).isEqualTo("null");
        assertThat(spec("vblk0", "--seed", -7L).seed()).isEqualTo(-7);
    }

    @Test
    void shouldNameTheOptionOfEachBadValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--rw", "randomread"))
                .withMessage("unknown rw mode 'randomread': use read, write, randread, randwrite or randrw");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--bs", "4q"))
                .withMessage("--bs must be a size such as 4096, 4k or 1m, not '4q'");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--bs", "1000"))
                .withMessage("--bs must be a multiple of 512 from 512 to 1048576, not 1000");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--iodepth", 0L))
                .withMessage("--iodepth must be from 1 to 1024, not 0");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--queues", "two"))
                .withMessage("--queues must be a whole number, not 'two'");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--runtime", "10x"))
                .withMessage("--runtime must be a duration such as 10, 10s, 500ms or 2m, not '10x'");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--runtime", 0L))
                .withMessage("a workload needs a --runtime or an --number_ios greater than zero");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--rwmixread", 101L))
                .withMessage("--rwmixread must be from 0 to 100, not 101");
        assertThatIllegalArgumentException().isThrownBy(() -> spec("vblk0", "--number_ios", -1L))
                .withMessage("--number_ios must be from 0 to " + Long.MAX_VALUE + ", not -1");
    }

    @Test
    void shouldTreatNegativeNumbersAsValuesNotOptions() {
        assertThat(CommandLine.parse(List.of("-5"), FioArgs.FLAGS, FioArgs.OPTIONS).positionals())
                .containsExactly("-5");
    }
}
