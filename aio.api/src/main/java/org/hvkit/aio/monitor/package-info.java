/**
 * Read-only pictures of a context for monitoring: pending bottom halves with their flags
 * and where they wait, timers, and counters. Every type here is an immutable record,
 * safe to hand to any thread.
 */
@Export
@Version("1.0.0")
package org.hvkit.aio.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
