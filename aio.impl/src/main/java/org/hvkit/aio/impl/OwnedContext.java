package org.hvkit.aio.impl;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ChannelHandler;
import org.hvkit.aio.ChannelRegistration;
import org.hvkit.aio.ClockType;
import org.hvkit.aio.EventNotifier;
import org.hvkit.aio.VirtualClock;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * The view of a context that one bundle gets from the service registry: the same loop,
 * but the BHs it creates carry the bundle's name, so the monitor can tell who made them.
 * The BHs themselves are the context's own, so scheduling costs the same.
 *
 * <p>Thread-safety: as {@link AioContext}; it only adds an owner to creations.
 */
final class OwnedContext implements AioContext {

    private final AioContextImpl context;
    private final String owner;

    OwnedContext(AioContextImpl context, String owner) {
        this.context = context;
        this.owner = owner;
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public String schedulerName() {
        return context.schedulerName();
    }

    @Override
    public BottomHalf newBottomHalf(String name, Runnable callback) {
        return context.newBottomHalf(name, callback, owner);
    }

    @Override
    public void scheduleOneshot(String name, Runnable callback) {
        context.scheduleOneshot(name, callback, owner);
    }

    @Override
    public void execute(Runnable command) {
        context.execute(command);
    }

    @Override
    public boolean poll(boolean blocking) {
        return context.poll(blocking);
    }

    @Override
    public void wakeUp() {
        context.wakeUp();
    }

    @Override
    public long computeTimeoutNanos() {
        return context.computeTimeoutNanos();
    }

    @Override
    public AioTimer newTimer(ClockType clock, String name, Runnable callback) {
        return context.newTimer(clock, name, callback);
    }

    @Override
    public long clockNanos(ClockType clock) {
        return context.clockNanos(clock);
    }

    @Override
    public VirtualClock virtualClock() {
        return context.virtualClock();
    }

    @Override
    public EventNotifier newEventNotifier(String name, Runnable handler) {
        return context.newEventNotifier(name, handler);
    }

    @Override
    public ChannelRegistration registerChannel(SelectableChannel channel, int ops, ChannelHandler handler) {
        return context.registerChannel(channel, ops, handler);
    }

    @Override
    public <T> void submitBlocking(Callable<T> work, BiConsumer<T, Throwable> onDone) {
        context.submitBlocking(work, onDone);
    }

    @Override
    public <T> T call(Callable<T> task, Duration timeout) {
        return context.call(task, timeout);
    }

    @Override
    public boolean inContextThread() {
        return context.inContextThread();
    }

    @Override
    public ContextSnapshot snapshot() {
        return context.snapshot();
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return context + " for " + owner;
    }
}
