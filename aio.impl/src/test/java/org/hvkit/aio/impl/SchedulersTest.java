package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

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

    /** A bundle that answers only what defaultOf asks: its raw headers, name and version. */
    private static Bundle bundleWith(Dictionary<String, String> headers) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "getSymbolicName" -> "org.hvkit.aio.impl";
                    case "getVersion" -> Version.parseVersion("0.1.0.variant");
                    case "toString" -> "test bundle";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
