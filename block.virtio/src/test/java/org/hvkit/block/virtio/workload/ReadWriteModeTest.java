package org.hvkit.block.virtio.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadWriteModeTest {

    @ParameterizedTest
    @CsvSource({"read, READ", "write, WRITE", "randread, RANDREAD", "randwrite, RANDWRITE", "randrw, RANDRW"})
    void shouldParseFiosName(String name, ReadWriteMode mode) {
        assertThat(ReadWriteMode.parse(name)).isEqualTo(mode);
        assertThat(mode.fioName()).isEqualTo(name);
    }

    @Test
    void shouldRejectAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> ReadWriteMode.parse("rw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown rw mode 'rw': use read, write, randread, randwrite or randrw");
    }

    @Test
    void shouldRejectTheEnumConstantsName() {
        assertThatThrownBy(() -> ReadWriteMode.parse("READ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCallOnlyTheRandModesRandom() {
        assertThat(ReadWriteMode.READ.isRandom()).isFalse();
        assertThat(ReadWriteMode.WRITE.isRandom()).isFalse();
        assertThat(ReadWriteMode.RANDREAD.isRandom()).isTrue();
        assertThat(ReadWriteMode.RANDWRITE.isRandom()).isTrue();
        assertThat(ReadWriteMode.RANDRW.isRandom()).isTrue();
    }
}
