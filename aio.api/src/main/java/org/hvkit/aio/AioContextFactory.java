package org.hvkit.aio;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes contexts that the caller drives itself: the calling code owns the home thread
 * and calls {@link AioContext#poll(boolean)} from it. Available as an OSGi service and
 * through {@link java.util.ServiceLoader}, so plain Java (tests, benchmarks) can use it.
 *
 * <p>Thread-safety: any thread.
 */
@ProviderType
public interface AioContextFactory {

    /** The default scheduler: lock-free, O(1) in the number of BHs that exist. */
    String SLICED = "sliced";

    /** The pre-2020 baseline: every created BH is walked by every poll. */
    String LINEAR = "linear";

    /**
     * Creates a context with the default scheduler. The first thread that polls it
     * becomes its home thread.
     *
     * @param name the context's name
     * @return the new context
     */
    AioContext create(String name);

    /**
     * Creates a context with a named scheduler.
     *
     * @param name the context's name
     * @param scheduler {@value #SLICED} or {@value #LINEAR}
     * @return the new context
     * @throws IllegalArgumentException if the scheduler is unknown
     */
    AioContext create(String name, String scheduler);

    /**
     * The scheduler names this factory knows.
     *
     * @return the names, e.g. {@code [sliced, linear]}
     */
    Set<String> schedulers();
}
