package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapacityTest {

    @Test
    void shouldWriteWholeBinaryUnits() {
        assertThat(Capacity.human(256L << 20)).isEqualTo("256M");
        assertThat(Capacity.human(64L << 20)).isEqualTo("64M");
        assertThat(Capacity.human(4096)).isEqualTo("4K");
        assertThat(Capacity.human(1L << 30)).isEqualTo("1G");
        assertThat(Capacity.human(3L << 40)).isEqualTo("3T");
    }

    @Test
    void shouldWriteOneDecimalWhenTheUnitDoesNotDivide() {
        assertThat(Capacity.human(1536)).isEqualTo("1.5K");
        assertThat(Capacity.human((1L << 30) + (1L << 29))).isEqualTo("1.5G");
    }

    @Test
    void shouldWritePlainBytesBelowOneKibibyte() {
        assertThat(Capacity.human(0)).isEqualTo("0");
        assertThat(Capacity.human(512)).isEqualTo("512");
        assertThat(Capacity.human(1023)).isEqualTo("1023");
    }

    @Test
    void shouldReachTheLargestLong() {
        assertThat(Capacity.human(Long.MAX_VALUE)).isEqualTo("8.0E");
    }
}
