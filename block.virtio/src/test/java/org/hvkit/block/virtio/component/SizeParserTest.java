package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeParserTest {

    @Test
    void shouldParsePlainBytes() {
        assertThat(SizeParser.parse("4096")).isEqualTo(4096L);
        assertThat(SizeParser.parse("0")).isZero();
    }

    @ParameterizedTest
    @CsvSource({"64K, 65536", "256M, 268435456", "2G, 2147483648", "1T, 1099511627776"})
    void shouldMultiplyEachSuffixByItsPowerOf1024(String text, long expected) {
        assertThat(SizeParser.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"64k, 65536", "256m, 268435456", "2g, 2147483648", "1t, 1099511627776"})
    void shouldAcceptLowerCaseSuffixes(String text, long expected) {
        assertThat(SizeParser.parse(text)).isEqualTo(expected);
    }

    @Test
    void shouldIgnoreSurroundingWhitespace() {
        assertThat(SizeParser.parse("  512K\t")).isEqualTo(512L << 10);
        assertThat(SizeParser.parse(" 4096 ")).isEqualTo(4096L);
    }

    @Test
    void shouldRejectWhitespaceBetweenNumberAndSuffix() {
        assertThatThrownBy(() -> SizeParser.parse("64 K"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'64 K' is not a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void shouldRejectAnEmptySize(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-512", "-1K"})
    void shouldRejectANegativeSize(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12X", "1KB", "1.5G", "+4096", "0x1000", "K1"})
    void shouldRejectAnUnknownSuffixOrForm(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"M", "k"})
    void shouldRejectASuffixWithoutDigits(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a size");
    }

    @Test
    void shouldRejectASizeThatOverflowsWithItsSuffix() {
        assertThatThrownBy(() -> SizeParser.parse("9999999999T"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'9999999999T' is too large a size");
    }

    @Test
    void shouldAcceptLongMaxValueInBytes() {
        assertThat(SizeParser.parse(Long.toString(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRejectOneByteMoreThanLongMaxValue() {
        assertThatThrownBy(() -> SizeParser.parse("9223372036854775808"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'9223372036854775808' is too large a size");
    }

    @Test
    void shouldAcceptTheLargestKilobyteCountThatFits() {
        long largest = Long.MAX_VALUE >> 10;

        assertThat(SizeParser.parse(largest + "K")).isEqualTo(largest << 10);
        assertThatThrownBy(() -> SizeParser.parse((largest + 1) + "K"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large a size");
    }

    @Test
    void shouldAcceptTheLargestTerabyteCountThatFits() {
        long largest = Long.MAX_VALUE >> 40;

        assertThat(SizeParser.parse(largest + "T")).isEqualTo(largest << 40);
        assertThatThrownBy(() -> SizeParser.parse((largest + 1) + "T"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large a size");
    }

    @Test
    void shouldRejectDigitsOutsideAscii() {
        // Arabic-Indic four, and fullwidth one, two, eight: Long.parseLong would read them.
        assertThatThrownBy(() -> SizeParser.parse("\u0664K"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a size");
        assertThatThrownBy(() -> SizeParser.parse("\uFF11\uFF12\uFF18M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a size");
    }
}
