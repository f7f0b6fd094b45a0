package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/** The build's default scheduler, read from its manifest, and the names that can be created. */
class SchedulersTest {

    @Test
    void shouldDefaultToSlicedWithoutTheHeader() {
        assertThat(Schedulers.defaultOf(bundleWith(new Hashtable<>()))).isEqualTo(SlicedScheduler.NAME);
    }

    @Test
    void shouldTakeTheHeadersSchedulerTrimmed() {
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(Schedulers.DEFAULT_HEADER, " linear ");

        assertThat(Schedulers.defaultOf(bundleWith(headers))).isEqualTo(LinearScheduler.NAME);
    }

    @Test
    void shouldRejectAnUnknownSchedulerNamingTheBundle() {
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(Schedulers.DEFAULT_HEADER, "fifo");

        assertThatThrownBy(() -> Schedulers.defaultOf(bundleWith(headers)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.hvkit.aio.impl 0.1.0.variant")
                .hasMessageContaining("unknown scheduler 'fifo'");
    }

    @Test
    void shouldCreateEachNamedSchedulerAndRejectOthers() {
        for (String name : Schedulers.NAMES) {
            assertThat(Schedulers.create(name)).isNotNull();
        }
        assertThatThrownBy(() -> Schedulers.create("fifo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose one of");
    }

    private static Bundle bundleWith(Dictionary<String, String> headers) {
        return TestBundles.withHeaders(headers);
    }
}
