package org.hvkit.aio.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One IOThread, as QEMU's {@code -object iothread}. Factory PID {@value #PID}. This describes
 * the configuration for Metatype (bnd maps {@code poll_max_ns} to {@code poll.max.ns});
 * {@link IoThreadSettings#from} reads and checks it.
 */
@ObjectClassDefinition(
        name = "hvkit IOThread",
        description = "An event-loop thread with its own AioContext, registered as an AioContext service.")
@interface IoThreadConfig {

    /** The factory PID. */
    String PID = "org.hvkit.aio.iothread";

    @AttributeDefinition(name = "Name",
            description = "The context's name (aio.context.name), unique; 'main' is reserved.")
    String name();

    /** Null when the configuration names none: the IOThread takes the bundle's default. */
    @AttributeDefinition(name = "Scheduler", required = false,
            description = "The bottom-half scheduler: sliced (O(1)) or linear (pre-2020 baseline)."
                    + " Unset: the bundle's default, sliced unless its Hvkit-Default-Scheduler header says otherwise.",
            options = {@Option(value = "sliced", label = "sliced"), @Option(value = "linear", label = "linear")})
    String scheduler();

    @AttributeDefinition(name = "Poll max (ns)",
            description = "Longest busy-polling window before blocking; 0 disables adaptive polling.", min = "0")
    long poll_max_ns() default IoThreadSettings.DEFAULT_POLL_MAX_NS;

    @AttributeDefinition(name = "Poll grow",
            description = "Factor by which the polling window grows; 0 means QEMU's default of 2.", min = "0")
    long poll_grow() default 0;

    @AttributeDefinition(name = "Poll shrink",
            description = "Divisor by which the polling window shrinks; 0 resets it to 0.", min = "0")
    long poll_shrink() default 0;

    @AttributeDefinition(name = "AIO max batch",
            description = "Most requests a device submits to a backend in one batch; 0 lets the backend choose."
                    + " Published as the service property aio.max.batch.", min = "0")
    long aio_max_batch() default 0;
}
