package org.hvkit.aio.impl;

import java.util.Objects;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.ClockType;

/**
 * A timer on one {@link TimerList}. Its arming state is guarded by the list's monitor.
 *
 * <p>Thread-safety: the public methods from any thread; {@link #fire()} only in the
 * context's home thread.
 */
final class AioTimerImpl implements AioTimer {

    private final String name;
    private final Runnable callback;
    private final TimerList list;
    private final AioContextImpl context;
    private volatile boolean deleted;

    // Guarded by list's monitor.
    long expireAt;
    boolean armed;
    AioTimerImpl next;

    AioTimerImpl(String name, Runnable callback, TimerList list, AioContextImpl context) {
        this.name = Objects.requireNonNull(name, "name");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.list = list;
        this.context = context;
    }

    @Override
    public void modNanos(long expireAtNanos) {
        if (deleted) {
            throw new IllegalStateException("timer '" + name + "' was deleted");
        }
        context.checkOpen();
        if (list.arm(this, expireAtNanos) && !context.inContextThread()) {
            // The new deadline is the earliest: the loop may sleep towards a later one.
            context.notifyLoop();
        }
    }

    @Override
    public void modRelativeNanos(long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative timer delay: " + delayNanos);
        }
        modNanos(context.clockNanos(list.clock()) + delayNanos);
    }

    @Override
    public void cancel() {
        list.disarm(this);
    }

    @Override
    public void delete() {
        deleted = true;
        list.disarm(this);
    }

    @Override
    public boolean isPending() {
        return list.isArmed(this);
    }

    @Override
    public long expireTimeNanos() {
        return list.expireTime(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClockType clock() {
        return list.clock();
    }

    /** Runs the callback. Home thread, after the list disarmed it. */
    void fire() {
        callback.run();
    }
}
