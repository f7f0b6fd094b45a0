package org.hvkit.aio;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An event loop: the Java counterpart of QEMU's {@code AioContext}.
 *
 * <p>Each context has exactly one <em>home thread</em>: an IOThread's own thread, or,
 * for a context made by {@link AioContextFactory}, the one thread that drives it by
 * calling {@link #poll(boolean)}. Every callback (bottom half, timer, notifier,
 * channel handler, blocking-work completion) runs in that thread.
 *
 * <p>Thread-safety: {@link #poll(boolean)} and {@link #computeTimeoutNanos()} only in
 * the home thread; {@link #scheduleOneshot}, {@link #execute}, {@link #wakeUp},
 * {@link #newBottomHalf}, {@link #newTimer}, {@link #newEventNotifier},
 * {@link #submitBlocking}, {@link #call}, {@link #snapshot} and the getters from any
 * thread. None of the any-thread methods blocks, except {@link #call} and
 * {@link #snapshot}, which wait with a bound.
 *
 * <p>In OSGi a context is a service with the properties {@value #CONTEXT_NAME} and
 * {@value #SCHEDULER}. When the service goes away the context is closing: consumers
 * drain their work and delete their bottom halves (see the hot-swap protocol).
 */
@ProviderType
public interface AioContext extends Executor, AutoCloseable {

    /** Service property: the context's name, e.g. {@code main} or {@code iothread0}. */
    String CONTEXT_NAME = "aio.context.name";

    /** Service property: the scheduler implementation, {@code sliced} or {@code linear}. */
    String SCHEDULER = "aio.scheduler";

    /** The name of the context that always exists. */
    String MAIN = "main";

    /**
     * The context's name.
     *
     * <p>Thread-safety: any thread.
     *
     * @return the name given at creation
     */
    String name();

    /**
     * The name of the BH scheduler implementation of this context.
     *
     * <p>Thread-safety: any thread.
     *
     * @return {@code "sliced"} or {@code "linear"}
     */
    String schedulerName();

    /**
     * Creates a bottom half ({@code aio_bh_new}). It is not enqueued anywhere until
     * {@link BottomHalf#schedule()} is called: with the sliced scheduler a BH that is
     * never scheduled costs the context nothing.
     *
     * <p>Thread-safety: any thread.
     *
     * @param name a name shown by the monitor
     * @param callback run in the home thread each time the BH is polled while scheduled
     * @return the new bottom half
     * @throws IllegalStateException if the context is closed
     */
    BottomHalf newBottomHalf(String name, Runnable callback);

    /**
     * Schedules a callback to run once in the next poll ({@code aio_bh_schedule_oneshot}).
     *
     * <p>Thread-safety: any thread; never blocks. Allocates one small object per call.
     *
     * @param name a name shown by the monitor
     * @param callback run once in the home thread
     * @throws IllegalStateException if the context is closed
     */
    void scheduleOneshot(String name, Runnable callback);

    /**
     * Runs the command in the home thread: {@code scheduleOneshot("execute", command)}.
     *
     * <p>Thread-safety: any thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the context is closed
     */
    @Override
    void execute(Runnable command);

    /**
     * Runs one iteration of the loop ({@code aio_poll}): scheduled bottom halves, expired
     * timers, set event notifiers and ready channels. A callback may call {@code poll}
     * again (a nested poll); each BH still runs at most once per schedule.
     *
     * <p>Thread-safety: only the home thread; never concurrent with itself except
     * nested from a callback.
     *
     * @param blocking if true, wait until there is something to do
     * @return true if progress was made: a non-idle BH ran, a timer fired, a notifier or
     *     channel handler ran. A wake-up alone and idle BHs are not progress.
     */
    boolean poll(boolean blocking);

    /**
     * Wakes the home thread if it is blocked in {@link #poll(boolean)} ({@code aio_notify}).
     * The system call is elided while the loop is busy.
     *
     * <p>Thread-safety: any thread; never blocks.
     */
    void wakeUp();

    /**
     * How long a blocking poll may sleep ({@code aio_compute_timeout}).
     *
     * <p>Thread-safety: only the home thread.
     *
     * @return 0 if a non-idle BH is scheduled; at most 10 ms if only idle BHs are;
     *     otherwise nanoseconds until the nearest timer deadline; -1 if nothing is pending
     */
    long computeTimeoutNanos();

    /**
     * Creates a timer, not armed.
     *
     * <p>Thread-safety: any thread.
     *
     * @param clock the clock whose time {@link AioTimer#modNanos(long)} is given in
     * @param name a name shown by the monitor
     * @param callback run in the home thread when the timer expires
     * @return the new timer
     */
    AioTimer newTimer(ClockType clock, String name, Runnable callback);

    /**
     * The current time of a clock, in nanoseconds.
     *
     * <p>Thread-safety: any thread.
     *
     * @param clock the clock
     * @return its time in nanoseconds
     */
    long clockNanos(ClockType clock);

    /**
     * The control of this context's {@link ClockType#VIRTUAL} clock.
     *
     * <p>Thread-safety: any thread.
     *
     * @return the virtual clock
     */
    VirtualClock virtualClock();

    /**
     * Creates an event notifier (an eventfd-like level-triggered flag) whose handler the
     * loop runs while it is set.
     *
     * <p>Thread-safety: any thread.
     *
     * @param name a name shown by the monitor
     * @param handler run in the home thread in each poll while the notifier is set; it
     *     should call {@link EventNotifier#testAndClear()}
     * @return the notifier, registered with this context
     */
    EventNotifier newEventNotifier(String name, Runnable handler);

    /**
     * Registers a non-blocking channel with the context's selector ({@code aio_set_fd_handler}).
     * While any channel is registered the context does not busy-poll before it sleeps (QEMU
     * disables polling while a handler without {@code io_poll} is registered): polling could
     * not see the channel become ready, and would only spend its window.
     *
     * <p>Thread-safety: any thread. The handler runs in the home thread.
     *
     * @param channel a channel in non-blocking mode
     * @param ops the interest set ({@link java.nio.channels.SelectionKey} bits)
     * @param handler run when the channel is ready
     * @return the registration, to change interest or unregister
     */
    ChannelRegistration registerChannel(SelectableChannel channel, int ops, ChannelHandler handler);

    /**
     * Runs blocking work in the context's thread pool ({@code thread_pool_submit_aio}).
     * Completions return to the home thread through one batched bottom half.
     *
     * <p>Thread-safety: any thread.
     *
     * @param work run in a pool thread
     * @param onDone run in the home thread with the result, or with the failure
     * @param <T> the result type
     */
    <T> void submitBlocking(Callable<T> work, BiConsumer<T, Throwable> onDone);

    /**
     * Runs a task in the home thread and waits for its result ({@code aio_wait_bh_oneshot}).
     * Called from the home thread, the task runs at once.
     *
     * <p>Thread-safety: any thread. Blocks the caller at most {@code timeout}.
     *
     * @param task the task
     * @param timeout the longest wait
     * @param <T> the result type
     * @return the task's result
     * @throws ContextBusyException if the home thread did not run the task in time
     * @throws java.util.concurrent.CompletionException wrapping what the task threw
     * @throws IllegalStateException if the context is closed
     */
    <T> T call(Callable<T> task, Duration timeout);

    /**
     * Tells whether the caller runs in the context's home thread.
     *
     * <p>Thread-safety: any thread.
     *
     * @return true in the home thread
     */
    boolean inContextThread();

    /**
     * A consistent picture of the context: pending bottom halves and where they wait,
     * timers, counters. Taken inside the home thread.
     *
     * <p>Thread-safety: any thread; waits at most one second.
     *
     * @return the snapshot
     * @throws ContextBusyException if the home thread does not answer in time
     */
    ContextSnapshot snapshot();

    /**
     * Closes the context: what is still scheduled runs one last time, timers, notifiers
     * and channel registrations are released, and afterwards {@link BottomHalf#schedule()}
     * and {@link #scheduleOneshot} throw {@link IllegalStateException}. Idempotent.
     *
     * <p>Thread-safety: the owner of the context (the IOThread component, or the creator
     * of a factory-made context) calls it, from any thread but the home thread of an
     * IOThread; for a factory-made context from its home thread or after the thread has
     * stopped polling.
     */
    @Override
    void close();
}
