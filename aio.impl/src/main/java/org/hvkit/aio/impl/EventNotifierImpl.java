package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.hvkit.aio.EventNotifier;

/**
 * A level-triggered flag like an eventfd: set from anywhere, handled in the home thread.
 *
 * <p>Thread-safety: {@link #set()}, {@link #testAndClear()} and {@link #close()} from any
 * thread, lock-free; {@link #runIfSet()}, {@link #dequeued()} and {@link #requeueIfStillSet()}
 * only in the home thread.
 */
final class EventNotifierImpl implements EventNotifier {

    private static final VarHandle SET;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SET = lookup.findVarHandle(EventNotifierImpl.class, "set", boolean.class);
            QUEUED = lookup.findVarHandle(EventNotifierImpl.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Runnable handler;
    private final NotifierRegistry registry;
    private final AioContextImpl context;
    private volatile boolean closed;

    @SuppressWarnings("unused")
    private volatile boolean set;
    /** On the registry's ready list (or about to be): only the thread that sets it pushes. */
    @SuppressWarnings("unused")
    private volatile boolean queued;
    /** The registry's link; see {@link NotifierRegistry} for who writes and reads it. */
    EventNotifierImpl next;

    EventNotifierImpl(String name, Runnable handler, NotifierRegistry registry, AioContextImpl context) {
        this.name = Objects.requireNonNull(name, "name");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.registry = registry;
        this.context = context;
    }

    @Override
    public void set() {
        // The exchange publishes the setter's writes to the handler, which reads the flag
        // with testAndClear's exchange. Only the first set queues it and wakes the loop.
        if (!(boolean) SET.getAndSet(this, true) && !closed) {
            enqueue();
            context.notifyLoop();
        }
    }

    private void enqueue() {
        if (QUEUED.compareAndSet(this, false, true)) {
            registry.push(this);
        }
    }

    /** The loop took this notifier off the ready list. Home thread. */
    void dequeued() {
        QUEUED.setVolatile(this, false);
    }

    /** Level-triggered: a handler that did not clear the flag runs again next poll. Home thread. */
    void requeueIfStillSet() {
        if (isSet()) {
            enqueue();
        }
    }

    @Override
    public boolean testAndClear() {
        return (boolean) SET.getAndSet(this, false);
    }

    boolean isSet() {
        return !closed && (boolean) SET.getVolatile(this);
    }

    /**
     * Runs the handler if set. Home thread.
     *
     * @return whether it ran
     */
    boolean runIfSet() {
        if (!isSet()) {
            return false;
        }
        handler.run();
        return true;
    }

    @Override
    public void close() {
        // A closed notifier still on the ready list is skipped there and not queued again.
        closed = true;
    }

    @Override
    public String name() {
        return name;
    }
}
