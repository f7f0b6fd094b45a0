package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import org.junit.jupiter.api.Test;

/** The build's default scheduler, read from its manifest, and the names that can be created. */
class SchedulersTest {

    @Test
    void shouldDefaultToSlicedWithoutTheHeader() {
        assertThat(Schedulers.defaultOf(TestBundles.withHeaders(new Hashtable<>()))).isEqualTo(SlicedScheduler.NAME);
    }

    @Test
    void shouldTakeTheHeadersSchedulerTrimmed() {
        assertThat(Schedulers.defaultOf(TestBundles.defaulting(" linear "))).isEqualTo(LinearScheduler.NAME);
    }

    @Test
    void shouldRejectAnUnknownSchedulerNamingTheBundle() {
        assertThatThrownBy(() -> Schedulers.defaultOf(TestBundles.defaulting("fifo")))
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
}
