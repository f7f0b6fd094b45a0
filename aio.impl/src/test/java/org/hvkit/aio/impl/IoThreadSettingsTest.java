package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/** An IOThread's configuration as DS hands it over: defaults, the types it may hold, and refusals. */
class IoThreadSettingsTest {

    private static final Bundle SLICED_BUILD = TestBundles.defaulting("sliced");

    @Test
    void shouldTakeTheDefaultsOfTheAbsentProperties() {
        IoThreadSettings settings = IoThreadSettings.from(Map.of("name", "iothread0"), TestBundles.defaulting("linear"));

        assertThat(settings).isEqualTo(new IoThreadSettings("iothread0", "linear",
                IoThreadSettings.DEFAULT_POLL_MAX_NS, 0, 0, 0));
    }

    @Test
    void shouldReadNumbersAsConfigurationAdminAndFilesHoldThem() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", " iothread1 ");
        properties.put("scheduler", " linear");
        properties.put("poll.max.ns", 0L);
        properties.put("poll.grow", 4);
        properties.put("poll.shrink", " 3 ");
        properties.put("aio.max.batch", (short) 16);

        assertThat(IoThreadSettings.from(properties, SLICED_BUILD))
                .isEqualTo(new IoThreadSettings("iothread1", "linear", 0, 4, 3, 16));
    }

    @Test
    void shouldRefuseEachBadPropertyInOneSentenceNamingTheIoThread() {
        assertRefused(Map.of(), "needs a non-empty 'name'");
        assertRefused(Map.of("name", " "), "needs a non-empty 'name'");
        assertRefused(Map.of("name", 7L), "name must be a string, not Long 7");
        assertRefused(Map.of("name", "main"), "'main' is reserved");
        assertRefused(Map.of("name", "io", "scheduler", "fifo"), "IOThread 'io': unknown scheduler 'fifo'");
        assertRefused(Map.of("name", "io", "poll.max.ns", "32k"), "IOThread 'io': poll.max.ns must be a whole number, not '32k'");
        assertRefused(Map.of("name", "io", "poll.grow", 2.5), "IOThread 'io': poll.grow must be a whole number, not Double 2.5");
        assertRefused(Map.of("name", "io", "aio.max.batch", -1L), "IOThread 'io': aio.max.batch must be 0 or more");
        assertRefused(Map.of("name", "io", "poll.max.ns", -1L), "IOThread 'io': ");
    }

    @Test
    void shouldMakeEqualSettingsOfEqualConfigurations() {
        Map<String, Object> typed = Map.of("name", "io", "poll.max.ns", 1000L);
        Map<String, Object> typedAsText = Map.of("name", "io", "poll.max.ns", "1000", "scheduler", "sliced");

        assertThat(IoThreadSettings.from(typed, SLICED_BUILD)).isEqualTo(IoThreadSettings.from(typedAsText, SLICED_BUILD));
    }

    private static void assertRefused(Map<String, Object> properties, String sentence) {
        assertThatThrownBy(() -> IoThreadSettings.from(properties, SLICED_BUILD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(sentence);
    }
}
