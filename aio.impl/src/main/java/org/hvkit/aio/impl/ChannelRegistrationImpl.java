package org.hvkit.aio.impl;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvkit.aio.ChannelHandler;
import org.hvkit.aio.ChannelRegistration;

/**
 * A channel registered with a context's selector; the selection key's attachment.
 *
 * <p>Thread-safety: any thread (selection keys are thread-safe since Java 11); the
 * handler runs only in the home thread.
 */
final class ChannelRegistrationImpl implements ChannelRegistration {

    private final SelectableChannel channel;
    private final ChannelHandler handler;
    private final AioContextImpl context;
    private final ChannelDispatcher dispatcher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SelectionKey key;

    ChannelRegistrationImpl(SelectableChannel channel, ChannelHandler handler, AioContextImpl context,
            ChannelDispatcher dispatcher) {
        this.channel = channel;
        this.handler = handler;
        this.context = context;
        this.dispatcher = dispatcher;
    }

    void bind(SelectionKey key) {
        this.key = key;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public int interestOps() {
        try {
            return key.interestOps();
        } catch (CancelledKeyException e) {
            return 0;
        }
    }

    @Override
    public void interestOps(int ops) {
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            throw new IllegalStateException("channel registration is closed", e);
        }
        // The selector applies the change in its next select; make that happen now.
        context.notifyLoop();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            key.cancel();
            dispatcher.unregistered();
            context.notifyLoop();
        }
    }

    /**
     * Runs the handler. Home thread.
     *
     * @return whether it ran
     */
    boolean dispatch(int readyOps) {
        if (!key.isValid()) {
            return false;
        }
        handler.ready(this, readyOps);
        return true;
    }
}
