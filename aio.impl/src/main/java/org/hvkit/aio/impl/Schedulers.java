package org.hvkit.aio.impl;

import java.util.Set;
import org.osgi.framework.Bundle;

/**
 * The known BH schedulers by name.
 *
 * <p>Thread-safety: any thread.
 */
final class Schedulers {

    static final Set<String> NAMES = Set.of(SlicedScheduler.NAME, LinearScheduler.NAME);

    /**
     * The manifest header that names the scheduler this bundle gives the main context, the
     * IOThreads whose configuration names none, and {@link AioContextFactoryImpl#create(String)}.
     * It is a build-time choice, not a configuration: a bundle built with another value
     * (aio.impl/variant says linear) swaps every default at once through {@code update},
     * which is how the hot-swap path of DESIGN §6 is exercised with a second build.
     */
    static final String DEFAULT_HEADER = "Hvkit-Default-Scheduler";

    private Schedulers() {
    }

    /**
     * The default scheduler of {@code bundle}: its {@value #DEFAULT_HEADER} header, or
     * sliced if the header is absent.
     *
     * @throws IllegalStateException if the header names no known scheduler: a broken build,
     *         which must fail the components rather than fall back silently
     */
    static String defaultOf(Bundle bundle) {
        // The raw header (locale ""): a scheduler name must not be translated.
        String header = bundle.getHeaders("").get(DEFAULT_HEADER);
        if (header == null) {
            return SlicedScheduler.NAME;
        }
        String name = header.trim();
        if (!NAMES.contains(name)) {
            throw new IllegalStateException("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + ": header " + DEFAULT_HEADER + " names unknown scheduler '" + header + "'");
        }
        return name;
    }

    static BhScheduler create(String name) {
        if (SlicedScheduler.NAME.equals(name)) {
            return new SlicedScheduler();
        }
        if (LinearScheduler.NAME.equals(name)) {
            return new LinearScheduler();
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "'; choose one of "
                + SlicedScheduler.NAME + ", " + LinearScheduler.NAME);
    }
}
