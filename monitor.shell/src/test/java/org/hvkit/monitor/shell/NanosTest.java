package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NanosTest {

    @Test
    void shouldPickTheUnitThatKeepsThreeDigits() {
        assertThat(Nanos.format(850)).isEqualTo("850 ns");
        assertThat(Nanos.format(12_345)).isEqualTo("12.3 us");
        assertThat(Nanos.format(4_560_000)).isEqualTo("4.56 ms");
        assertThat(Nanos.format(999_000_000)).isEqualTo("999 ms");
        assertThat(Nanos.format(1_500_000_000)).isEqualTo("1.50 s");
    }

    @Test
    void shouldKeepTheSignOfANegativeCount() {
        assertThat(Nanos.format(-2_500_000)).isEqualTo("-2.50 ms");
    }
}
