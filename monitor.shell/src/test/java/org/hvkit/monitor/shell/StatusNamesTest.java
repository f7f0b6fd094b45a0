package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusNamesTest {

    @Test
    void shouldWriteAResetDeviceAsZero() {
        assertThat(StatusNames.of(0)).isEqualTo("0");
    }

    @Test
    void shouldNameTheBitsInTheOrderADriverSetsThem() {
        assertThat(StatusNames.of(1 | 2 | 8 | 4)).isEqualTo("ACK|DRIVER|FEATURES_OK|DRIVER_OK");
        assertThat(StatusNames.of(1 | 2 | 8)).isEqualTo("ACK|DRIVER|FEATURES_OK");
    }

    @Test
    void shouldShowNeedsResetAndFailed() {
        assertThat(StatusNames.of(15 | 64)).isEqualTo("ACK|DRIVER|FEATURES_OK|DRIVER_OK|NEEDS_RESET");
        assertThat(StatusNames.of(3 | 128)).isEqualTo("ACK|DRIVER|FAILED");
    }

    @Test
    void shouldShowUnnamedBitsAsHex() {
        assertThat(StatusNames.of(1 | 0x10 | 0x20)).isEqualTo("ACK|0x30");
    }
}
