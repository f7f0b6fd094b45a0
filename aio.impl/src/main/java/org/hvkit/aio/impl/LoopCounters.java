package org.hvkit.aio.impl;

/**
 * Counters of one context that only its home thread writes.
 *
 * <p>Thread-safety: only the home thread; plain fields. A snapshot, taken in the home
 * thread, reads them consistently.
 */
final class LoopCounters {
    long polls;
    long progressPolls;
    long bhRuns;
    long bhDequeued;
    long timersFired;
    long notifierRuns;
    long channelRuns;
    long blockingWaits;
    long pollingHits;
    long blockingWorkCompleted;
}
