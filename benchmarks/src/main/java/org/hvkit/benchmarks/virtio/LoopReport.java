package org.hvkit.benchmarks.virtio;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * What the context's thread did over a trial, per request: its CPU time, and how it waited
 * (blocking waits, wake-ups the guest's kicks paid a system call for, polling hits). The CPU
 * time per request bounds what one IOThread could serve with a core of its own, whatever else
 * the machine runs (with adaptive polling it includes the spinning); the waits show whether
 * kicks found the loop polling or asleep. For an inline context the thread is the guest too.
 *
 * <p>Thread-safety: one thread; from another thread than the context's it waits for the
 * context's snapshots.
 */
final class LoopReport {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AioContext context;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long threadId;
    private final long cpuBefore;
    private final ContextCounters before;

    /** Takes the starting point; call once the queues are running. */
    LoopReport(AioContext context) {
        this.context = context;
        this.threadId = context.call(() -> Thread.currentThread().getId(), TIMEOUT);
        this.cpuBefore = threads.getThreadCpuTime(threadId);
        this.before = context.snapshot().counters();
    }

    /**
     * Bytes the loop thread has allocated so far (HotSpot's per-thread counter): unlike JMH's
     * gc profiler, which counts every thread of the JVM, this is the device side alone.
     */
    long loopAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(threadId);
    }

    /** Bytes the calling thread has allocated so far, JMH's own work in it included. */
    long callerAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** The loop thread's CPU time since construction over {@code requests} completed requests. */
    double cpuNanosPerRequest(long requests) {
        return (threads.getThreadCpuTime(threadId) - cpuBefore) / (double) Math.max(1, requests);
    }

    /** One line about the time since construction, for {@code requests} completed requests. */
    String since(long requests) {
        ContextSnapshot now = context.snapshot();
        ContextCounters c = now.counters();
        double n = Math.max(1, requests);
        double cpuPerRequest = cpuNanosPerRequest(requests);
        return String.format("Loop thread over %d requests: CPU %.0f ns/request (at most %.2fM requests/s with a core"
                + " of its own); per request: %.4f blocking waits, %.4f wake-up syscalls, %.4f polling hits,"
                + " %.4f polls; poll window now %d ns of %d",
                requests, cpuPerRequest, 1e3 / cpuPerRequest, (c.blockingWaits() - before.blockingWaits()) / n,
                (c.wakeUpsSent() - before.wakeUpsSent()) / n, (c.pollingHits() - before.pollingHits()) / n,
                (c.polls() - before.polls()) / n, now.pollWindowNanos(), now.pollMaxNanos());
    }
}
