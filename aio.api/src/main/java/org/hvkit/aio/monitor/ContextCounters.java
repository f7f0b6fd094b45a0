package org.hvkit.aio.monitor;

/**
 * Monotonic counters of a context since it was created. Rates are differences of two
 * snapshots.
 *
 * @param polls calls of poll, nested ones included
 * @param progressPolls polls that made progress
 * @param bhRuns bottom-half callbacks run
 * @param bhDequeued BHs a poll took off a list: one per schedule that put a BH on a list (a
 *     schedule of a BH already pending is not counted)
 * @param timersFired timer callbacks run
 * @param notifierRuns event-notifier handler runs
 * @param channelRuns channel handler runs
 * @param wakeUpsSent wake-ups that cost a system call
 * @param wakeUpsElided wake-ups skipped because the loop was busy
 * @param blockingWaits polls that went to sleep in the selector
 * @param pollingHits polls that found work while busy-polling instead of sleeping
 * @param blockingWorkSubmitted work items given to the thread pool
 * @param blockingWorkCompleted thread-pool completions run in the context
 */
public record ContextCounters(
        long polls,
        long progressPolls,
        long bhRuns,
        long bhDequeued,
        long timersFired,
        long notifierRuns,
        long channelRuns,
        long wakeUpsSent,
        long wakeUpsElided,
        long blockingWaits,
        long pollingHits,
        long blockingWorkSubmitted,
        long blockingWorkCompleted) {
}
