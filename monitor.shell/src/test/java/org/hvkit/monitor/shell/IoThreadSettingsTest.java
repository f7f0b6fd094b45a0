package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IoThreadSettingsTest {

    @Test
    void shouldParseNumbersAsLongsAndTheSchedulerAsTextInTheOrderGiven() {
        Map<String, Object> settings = IoThreadSettings.parse(
                List.of("poll.max.ns=0", "scheduler=linear", "aio.max.batch=32", "poll.grow=4", "poll.shrink=2"));

        assertThat(settings).containsExactly(Map.entry("poll.max.ns", 0L), Map.entry("scheduler", "linear"),
                Map.entry("aio.max.batch", 32L), Map.entry("poll.grow", 4L), Map.entry("poll.shrink", 2L));
    }

    @Test
    void shouldTrimBlanksAroundKeyAndValue() {
        assertThat(IoThreadSettings.parse(List.of(" poll.max.ns = 100 "))).containsExactly(
                Map.entry("poll.max.ns", 100L));
    }

    @Test
    void shouldGiveNothingForNoPairs() {
        assertThat(IoThreadSettings.parse(List.of())).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownKeyListingTheValidOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("poll.max=0")))
                .withMessage("unknown key 'poll.max'; keys: scheduler, poll.max.ns, poll.grow, poll.shrink,"
                        + " aio.max.batch");
    }

    @Test
    void shouldRefuseTheNameAsAKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("name=other")))
                .withMessageStartingWith("the name is the IOThread's identity and cannot be set; keys: scheduler");
    }

    @Test
    void shouldRefuseAWordWithoutAnEqualsSignOrAKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("linear")))
                .withMessageStartingWith("expected key=value, not 'linear'; keys: scheduler");
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("=3")))
                .withMessageStartingWith("expected key=value, not '=3'");
    }

    @Test
    void shouldRefuseAMissingValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("poll.grow=")))
                .withMessage("poll.grow needs a value");
    }

    @Test
    void shouldRefuseANumberThatIsNotAWholeNumberOrIsNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("poll.max.ns=lots")))
                .withMessage("poll.max.ns must be a whole number, not 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("poll.shrink=-1")))
                .withMessage("poll.shrink must be from 0 to " + Long.MAX_VALUE + ", not -1");
    }

    @Test
    void shouldRefuseAnUnknownScheduler() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.parse(List.of("scheduler=fifo")))
                .withMessage("unknown scheduler 'fifo'; choose sliced or linear");
    }

    @Test
    void shouldRefuseAKeyGivenTwice() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IoThreadSettings.parse(List.of("poll.grow=2", "poll.grow=4")))
                .withMessage("poll.grow is given twice");
    }

    @Test
    void shouldAcceptTheKnownSchedulers() {
        assertThat(IoThreadSettings.scheduler("sliced")).isEqualTo("sliced");
        assertThat(IoThreadSettings.scheduler("linear")).isEqualTo("linear");
    }

    @Test
    void shouldRefuseMainAsANewName() {
        assertThatIllegalArgumentException().isThrownBy(() -> IoThreadSettings.newName("main"))
                .withMessage("'main' is reserved for the main context");
    }

    @Test
    void shouldAcceptNamesOfLettersDigitsDotsUnderscoresAndDashes() {
        assertThat(IoThreadSettings.newName("it-x")).isEqualTo("it-x");
        assertThat(IoThreadSettings.newName("io_thread.1")).isEqualTo("io_thread.1");
        assertThat(IoThreadSettings.newName("a".repeat(64))).hasSize(64);
    }

    @Test
    void shouldRefuseNamesWithBlanksOrFilterCharactersOrTooLong() {
        for (String bad : List.of("", "a b", "x*", "(x)", "-x", ".x", "a".repeat(65))) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> IoThreadSettings.newName(bad))
                    .withMessageStartingWith("an IOThread name is 1 to 64 letters, digits");
        }
    }
}
