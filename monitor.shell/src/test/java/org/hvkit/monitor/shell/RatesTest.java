package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatesTest {

    @Test
    void shouldWriteIopsWithThreeSignificantDigitsLikeFio() {
        assertThat(Rates.iops(0)).isEqualTo("0");
        assertThat(Rates.iops(9999)).isEqualTo("9999");
        assertThat(Rates.iops(12_345)).isEqualTo("12.3k");
        assertThat(Rates.iops(131_072)).isEqualTo("131k");
        assertThat(Rates.iops(1_254_000)).isEqualTo("1.25M");
        assertThat(Rates.iops(999_600)).isEqualTo("1.00M");
    }

    @Test
    void shouldWriteMegabytesWithOneDecimal() {
        assertThat(Rates.megabytes(512.04)).isEqualTo("512.0 MB/s");
    }

    @Test
    void shouldRoundNanosToMicros() {
        assertThat(Rates.micros(45_499)).isEqualTo(45);
        assertThat(Rates.micros(45_500)).isEqualTo(46);
    }

    @Test
    void shouldWriteEtaAsMinutesAndSeconds() {
        assertThat(Rates.eta(6)).isEqualTo("00m:06s");
        assertThat(Rates.eta(3725)).isEqualTo("62m:05s");
        assertThat(Rates.eta(-3)).isEqualTo("00m:00s");
    }
}
