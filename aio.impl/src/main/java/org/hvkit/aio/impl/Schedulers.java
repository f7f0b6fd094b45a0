package org.hvkit.aio.impl;

import java.util.Set;

/**
 * The known BH schedulers by name.
 *
 * <p>Thread-safety: any thread.
 */
final class Schedulers {

    static final Set<String> NAMES = Set.of(SlicedScheduler.NAME, LinearScheduler.NAME);

    private Schedulers() {
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
