package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.hvkit.aio.EventNotifier;

/**
 * A level-triggered flag like an eventfd: set from anywhere, handled in the home thread.
 *
 * <p>Thread-safety: {@link #set()}, {@link #testAndClear()} and {@link #close()} from any
 * thread, lock-free except close's registry update; {@link #runIfSet()} only in the home
 * thread.
 */
final class EventNotifierImpl implements EventNotifier {

    private static final VarHandle SET;

    static {
        try {
            SET = MethodHandles.lookup().findVarHandle(EventNotifierImpl.class, "set", boolean.class);
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

    EventNotifierImpl(String name, Runnable handler, NotifierRegistry registry, AioContextImpl context) {
        this.name = Objects.requireNonNull(name, "name");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.registry = registry;
        this.context = context;
    }

    @Override
    public void set() {
        // The exchange publishes the setter's writes to the handler, which reads the flag
        // with testAndClear's exchange. Only the first set needs to wake the loop.
        if (!(boolean) SET.getAndSet(this, true) && !closed) {
            context.notifyLoop();
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
        if (!closed) {
            closed = true;
            registry.remove(this);
        }
    }

    @Override
    public String name() {
        return name;
    }
}
