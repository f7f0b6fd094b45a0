/**
 * The event-loop API of hvkit, modelled on QEMU's {@code AioContext}: bottom halves,
 * timers, event notifiers, channel handlers and a blocking-work pool, all run by one
 * home thread per context.
 *
 * <p>Thread rule, in one line: everything that makes a callback run ({@code poll})
 * happens in the context's home thread; everything that asks for a callback to run
 * ({@code schedule}, {@code scheduleOneshot}, {@code wakeUp}, {@code set}) may be
 * called from any thread and never blocks.
 */
@Export
@Version("1.0.0")
package org.hvkit.aio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
