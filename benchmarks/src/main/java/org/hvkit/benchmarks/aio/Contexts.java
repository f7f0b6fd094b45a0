package org.hvkit.benchmarks.aio;

import java.util.ServiceLoader;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;

/**
 * Makes contexts for the benchmarks through the API only: the implementation is found with
 * {@link ServiceLoader}, as aio.impl registers its factory with {@code @ServiceProvider}.
 *
 * <p>Thread-safety: any thread. A context made here is bound to the first thread that polls
 * it: make that the benchmark thread (a {@code Scope.Thread} state whose trial setup polls).
 */
final class Contexts {

    private static final AioContextFactory FACTORY = ServiceLoader.load(AioContextFactory.class)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no AioContextFactory on the class path"));

    private Contexts() {
    }

    /** A context named {@code name} with the scheduler {@code scheduler}, not yet polled. */
    static AioContext create(String name, String scheduler) {
        return FACTORY.create(name, scheduler);
    }

    /** A context as {@link #create}, polled once so that the calling thread is its home. */
    static AioContext createHere(String name, String scheduler) {
        AioContext ctx = create(name, scheduler);
        ctx.poll(false);
        if (!ctx.inContextThread()) {
            throw new IllegalStateException("context '" + name + "' is not bound to " + Thread.currentThread());
        }
        return ctx;
    }
}
