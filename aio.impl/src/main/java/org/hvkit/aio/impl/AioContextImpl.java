package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelHandler;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.EventNotifier;
import org.hvkit.aio.VirtualClock;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.hvkit.aio.monitor.TimerSnapshot;

/**
 * The event loop: one poll runs ready channels, set notifiers, scheduled bottom halves and
 * due timers, in that order (as QEMU's {@code aio_poll}). BH bookkeeping is delegated to a
 * {@link BhScheduler}; wake-ups to {@link LoopWakeup}.
 *
 * <p>Thread-safety: as {@link AioContext}. The home thread is bound by the owning IOThread
 * or, for a factory-made context, by the first call of {@link #poll(boolean)}.
 */
public final class AioContextImpl implements AioContext {

    /** The longest a blocking poll sleeps when only idle BHs are scheduled. */
    static final long IDLE_TIMEOUT_NS = 10_000_000L;

    /** How long {@link #snapshot()} waits for the home thread. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(1);

    /** How long close waits for running blocking work. */
    static final long CLOSE_WORK_WAIT_MS = 5_000;

    private static final VarHandle HOME;
    private static final System.Logger LOG = System.getLogger(AioContextImpl.class.getName());

    static {
        try {
            HOME = MethodHandles.lookup().findVarHandle(AioContextImpl.class, "home", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final BhScheduler scheduler;
    private final boolean closableByUsers;
    private final ChannelDispatcher channels = new ChannelDispatcher();
    private final LoopWakeup wakeup = new LoopWakeup(channels.selector());
    private final Clocks clocks = new Clocks(new VirtualClockImpl(this::notifyLoop));
    private final Map<ClockType, TimerList> timers = new EnumMap<>(ClockType.class);
    private final TimerList[] timerLists;
    private final NotifierRegistry notifiers = new NotifierRegistry();
    private final BlockingWorkPool pool;
    private final AdaptivePolling polling;
    private final LoopCounters counters = new LoopCounters();
    private final BooleanSupplier workArrived = this::workArrived;

    @SuppressWarnings("unused")
    private volatile Thread home;
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * Creates a context.
     *
     * @param name the context's name
     * @param scheduler the BH scheduler, {@code sliced} or {@code linear}
     * @param polling adaptive polling parameters
     * @param closableByUsers false for IOThread contexts, which only their IOThread closes
     */
    AioContextImpl(String name, String scheduler, AdaptivePolling polling, boolean closableByUsers) {
        this.name = Objects.requireNonNull(name, "name");
        this.scheduler = Schedulers.create(scheduler);
        this.polling = Objects.requireNonNull(polling, "polling");
        this.closableByUsers = closableByUsers;
        for (ClockType clock : ClockType.values()) {
            timers.put(clock, new TimerList(clock));
        }
        this.timerLists = timers.values().toArray(new TimerList[0]);
        this.pool = new BlockingWorkPool(name);
        pool.bind(newBottomHalf("thread-pool-completions", this::runCompletions, ""));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String schedulerName() {
        return scheduler.name();
    }

    @Override
    public BottomHalf newBottomHalf(String name, Runnable callback) {
        return newBottomHalf(name, callback, "");
    }

    /** As {@link #newBottomHalf(String, Runnable)}, recording who created it. Any thread. */
    BottomHalf newBottomHalf(String name, Runnable callback, String owner) {
        checkOpen();
        return scheduler.create(name, callback, owner, 0, this);
    }

    @Override
    public void scheduleOneshot(String name, Runnable callback) {
        scheduleOneshot(name, callback, "");
    }

    /** As {@link #scheduleOneshot(String, Runnable)}, recording who scheduled it. Any thread. */
    void scheduleOneshot(String name, Runnable callback, String owner) {
        checkOpen();
        scheduler.create(name, callback, owner, BhFlags.ONESHOT | BhFlags.SCHEDULED, this);
        notifyLoop();
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        try {
            scheduleOneshot("execute", command);
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("context '" + name + "' is closed", e);
        }
    }

    @Override
    public boolean poll(boolean blocking) {
        checkHomeThread();
        LoopCounters c = counters;
        c.polls++;
        // A notification waiting means work arrived since the last poll that found none, and
        // this poll would not sleep anyway (block() looks at it again): run the handlers
        // without looking for work first. The look would read the lists' heads and a BH's
        // flags, lines another thread is writing while it hands work over. QEMU's wait returns
        // at once for the same reason: aio_notify() left its event readable.
        long timeout = blocking && !wakeup.isNotified() ? computeTimeoutNanos() : 0;
        long start = 0;
        boolean spun = false;
        // Busy-polling watches BHs, timers and notifiers, not the selector: a channel's readiness
        // shows only in a select. So, as QEMU turns polling off while an fd handler without
        // io_poll is registered, a context with channels does not spin: it would burn its
        // window on every wait without ever seeing the channel's work.
        if (timeout != 0 && polling.enabled() && !channels.hasChannels()) {
            start = System.nanoTime();
            spun = true;
            if (polling.spin(start, timeout, workArrived)) {
                timeout = 0;
                c.pollingHits++;
            }
        }
        int mark = channels.mark();
        if (timeout != 0) {
            block(c);
        } else if (channels.hasChannels()) {
            channels.select(0);
        }
        if (spun) {
            polling.adjust(blockedNanos(start));
        }
        boolean progress = runHandlers(mark);
        if (progress) {
            c.progressPolls++;
        } else {
            // Notifications are accepted only by a poll that found no work. While polls find
            // work the loop does not sleep, so one left set loses nothing, and a notifier that
            // finds it set writes nothing. Accepted in every poll, the flag's line moved
            // between the loop's core and a busy notifier's twice per poll (the loop's clear,
            // the notifier's set), a cost per poll that kept the loop taking BHs in small
            // batches from a steady stream. None is lost here: the next poll looks at every
            // source of work before it sleeps, and one left set for work already run keeps
            // only that poll awake, which then accepts it.
            wakeup.accept();
        }
        return progress;
    }

    /**
     * How long the loop waited for work since {@code start}, for the polling window: until
     * the notifier's wake-up call if one woke it, else until now. The thread's own wake-up
     * latency is left out: polling that long would have caught the work, however slowly the
     * kernel wakes a sleeping thread (QEMU counts it in, and on a host whose wake-ups take
     * longer than poll.max.ns its window never opens). Home thread.
     */
    private long blockedNanos(long start) {
        long now = System.nanoTime();
        long arrived = wakeup.takeWakeUpTime();
        if (arrived != 0 && arrived - start >= 0 && arrived - now <= 0) {
            return arrived - start;
        }
        return now - start;
    }

    /** Sleeps in the selector unless a notification or work arrived meanwhile. Home thread. */
    private void block(LoopCounters c) {
        boolean notified = wakeup.beginBlocking();
        try {
            // Look again after raising notifyMe: pairs with LoopWakeup.notifyLoop().
            long timeout = notified ? 0 : computeTimeoutNanos();
            if (timeout != 0) {
                c.blockingWaits++;
                // A sleeping loop keeps nothing alive through the oneshots it ran; the wait
                // costs a system call, beside which this is cheap.
                scheduler.releaseSpares();
                channels.select(timeout);
            } else if (channels.hasChannels()) {
                channels.select(0);
            }
        } finally {
            wakeup.endBlocking();
        }
    }

    private boolean runHandlers(int mark) {
        LoopCounters c = counters;
        int ran = channels.dispatchSince(mark);
        c.channelRuns += ran;
        int notified = notifiers.runSet();
        c.notifierRuns += notified;
        boolean progress = ran > 0 || notified > 0;
        progress |= scheduler.runScheduled(c);
        progress |= runTimers();
        return progress;
    }

    private boolean runTimers() {
        int fired = 0;
        for (TimerList list : timerLists) {
            // A clock read costs tens of nanoseconds: skip it when nothing is armed.
            if (list.hasTimers()) {
                fired += list.fireDue(clocks.now(list.clock()));
            }
        }
        counters.timersFired += fired;
        return fired > 0;
    }

    /** The busy-polling check: anything that would end a sleep. Home thread. */
    private boolean workArrived() {
        return wakeup.isNotified() || notifiers.anySet() || nearestTimerNanos() == 0;
    }

    private void runCompletions() {
        counters.blockingWorkCompleted += pool.runCompletions();
    }

    @Override
    public void wakeUp() {
        // Unlike internal notifications, an explicit wake-up from the home thread is kept:
        // the next blocking poll must not sleep (QEMU's aio_notify remembers it too).
        wakeup.notifyLoop();
    }

    /**
     * {@code aio_notify}: wakes the loop if it is or may be blocked. Any thread. From the home
     * thread it does nothing: the loop is running this very code, so it is not blocked, and it
     * looks at every list before it next sleeps.
     */
    void notifyLoop() {
        if (Thread.currentThread() != (Thread) HOME.getVolatile(this)) {
            wakeup.notifyLoop();
        }
    }

    @Override
    public long computeTimeoutNanos() {
        int readiness = scheduler.readiness();
        if (readiness == BhScheduler.READY || notifiers.anySet()) {
            return 0;
        }
        long timeout = nearestTimerNanos();
        if (readiness == BhScheduler.IDLE_ONLY) {
            timeout = timeout < 0 ? IDLE_TIMEOUT_NS : Math.min(timeout, IDLE_TIMEOUT_NS);
        }
        return timeout;
    }

    private long nearestTimerNanos() {
        long nearest = -1;
        for (TimerList list : timerLists) {
            if (!list.hasTimers()) {
                continue;
            }
            if (!clocks.advances(list.clock())) {
                // A stopped virtual clock never reaches a deadline by itself.
                long wait = list.nanosUntilEarliest(clocks.now(list.clock()));
                if (wait == 0) {
                    return 0;
                }
                continue;
            }
            long wait = list.nanosUntilEarliest(clocks.now(list.clock()));
            if (wait >= 0 && (nearest < 0 || wait < nearest)) {
                nearest = wait;
            }
        }
        return nearest;
    }

    @Override
    public AioTimer newTimer(ClockType clock, String name, Runnable callback) {
        Objects.requireNonNull(clock, "clock");
        checkOpen();
        return new AioTimerImpl(name, callback, timers.get(clock), this);
    }

    @Override
    public long clockNanos(ClockType clock) {
        return clocks.now(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public VirtualClock virtualClock() {
        return clocks.virtual();
    }

    @Override
    public EventNotifier newEventNotifier(String name, Runnable handler) {
        checkOpen();
        return new EventNotifierImpl(name, handler, notifiers, this);
    }

    @Override
    public ChannelRegistration registerChannel(SelectableChannel channel, int ops, ChannelHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        ChannelRegistration registration = channels.register(channel, ops, handler, this);
        // The selector picks up a new key in its next select.
        notifyLoop();
        return registration;
    }

    @Override
    public <T> void submitBlocking(Callable<T> work, BiConsumer<T, Throwable> onDone) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(onDone, "onDone");
        checkOpen();
        pool.submit(work, onDone);
    }

    @Override
    public <T> T call(Callable<T> task, Duration timeout) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        if (inContextThread()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduleOneshot("call", () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ContextBusyException("context '" + name + "' did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    public boolean inContextThread() {
        return Thread.currentThread() == (Thread) HOME.getVolatile(this);
    }

    /** Makes the calling thread the home thread. Called once by the owning IOThread. */
    void bindHomeThread() {
        if (!HOME.compareAndSet(this, (Thread) null, Thread.currentThread())) {
            throw new IllegalStateException("context '" + name + "' already has a home thread");
        }
    }

    private void checkHomeThread() {
        Thread current = Thread.currentThread();
        Thread bound = (Thread) HOME.getVolatile(this);
        if (bound == current) {
            return;
        }
        if (bound == null && HOME.compareAndSet(this, (Thread) null, current)) {
            return;
        }
        throw new IllegalStateException("context '" + name + "' is polled by its home thread '"
                + ((Thread) HOME.getVolatile(this)).getName() + "', not by '" + current.getName() + "'");
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("context '" + name + "' is closed");
        }
    }

    @Override
    public ContextSnapshot snapshot() {
        // For another thread the picture is taken in a oneshot BH, i.e. inside one BH poll
        // more than the loop was running when asked: that poll is the snapshot's own, and
        // is not counted, so an idle loop shows depth 0 and a callback in k nested polls k.
        int ownPolls = inContextThread() ? 0 : 1;
        return call(() -> takeSnapshot(ownPolls), SNAPSHOT_TIMEOUT);
    }

    /**
     * Builds the snapshot. Home thread.
     *
     * @param ownPolls BH polls the snapshot itself runs in, left out of the slice depth
     */
    private ContextSnapshot takeSnapshot(int ownPolls) {
        List<PendingBottomHalf> pending = new ArrayList<>();
        scheduler.collectPending(pending);
        List<TimerSnapshot> armed = new ArrayList<>();
        for (TimerList list : timerLists) {
            list.collect(clocks.now(list.clock()), armed);
        }
        armed.sort((a, b) -> Long.compare(a.remainingNanos(), b.remainingNanos()));
        Thread thread = (Thread) HOME.getVolatile(this);
        LoopCounters c = counters;
        ContextCounters snapshotCounters = new ContextCounters(c.polls, c.progressPolls, c.bhRuns,
                c.bhDequeued, c.timersFired, c.notifierRuns, c.channelRuns, wakeup.sent(), wakeup.elided(),
                c.blockingWaits, c.pollingHits, pool.submitted(), c.blockingWorkCompleted);
        return new ContextSnapshot(name, scheduler.name(), thread == null ? "" : thread.getName(),
                System.nanoTime(), pending, scheduler.created(), scheduler.sliceDepth() - ownPolls,
                scheduler.maxSliceDepth(), armed, polling.maxNs(), polling.windowNs(), snapshotCounters);
    }

    @Override
    public void close() {
        if (!closableByUsers) {
            throw new IllegalStateException("context '" + name
                    + "' belongs to its IOThread; delete the IOThread's configuration to stop it");
        }
        closeNow();
    }

    /**
     * Closes: waits for running blocking work, runs what is scheduled one last time, then
     * releases timers, notifiers and the selector. Home thread, or any thread once no thread
     * polls any more. Idempotent.
     */
    void closeNow() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            if (!pool.shutdown(CLOSE_WORK_WAIT_MS)) {
                LOG.log(System.Logger.Level.WARNING, "context {0}: blocking work still running after {1} ms;"
                        + " its completions will be refused", name, CLOSE_WORK_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            scheduler.closeAndRunLast(counters);
        } finally {
            closed = true;
            for (TimerList list : timerLists) {
                list.clear();
            }
            notifiers.clear();
            channels.close();
        }
    }

    @Override
    public String toString() {
        return "AioContext[" + name + ", " + scheduler.name() + "]";
    }
}
