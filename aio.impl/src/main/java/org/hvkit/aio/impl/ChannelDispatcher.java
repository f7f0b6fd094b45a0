package org.hvkit.aio.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.hvkit.aio.ChannelHandler;
import org.hvkit.aio.ChannelRegistration;

/**
 * The context's selector: it blocks the loop and dispatches ready channels.
 *
 * <p>Ready keys are collected into reusable arrays during the select and dispatched
 * after it returns, so a handler may poll again (nested): the nested poll appends its
 * own ready keys behind the outer ones and removes them when done.
 *
 * <p>Thread-safety: {@link #register} from any thread; the rest only in the home thread.
 */
final class ChannelDispatcher {

    private final Selector selector;
    private final Consumer<SelectionKey> collect = this::collect;

    /**
     * Registrations not yet closed. Asking the selector for its key set costs a check and a
     * map count on every poll; this counter is one volatile read.
     */
    private final AtomicInteger registered = new AtomicInteger();
    private SelectionKey[] readyKeys = new SelectionKey[16];
    private int[] readyOps = new int[16];
    private int readyCount;

    ChannelDispatcher() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    Selector selector() {
        return selector;
    }

    ChannelRegistration register(SelectableChannel channel, int ops, ChannelHandler handler,
            AioContextImpl context) {
        ChannelRegistrationImpl registration = new ChannelRegistrationImpl(channel, handler, context, this);
        try {
            registration.bind(channel.register(selector, ops, registration));
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException("channel is closed", e);
        }
        registered.incrementAndGet();
        return registration;
    }

    /** Called once per registration when it is closed. Any thread. */
    void unregistered() {
        registered.decrementAndGet();
    }

    /**
     * Whether a select could find anything. A cancelled key may linger in the selector until
     * its next select; skipping that select is harmless, the next one deregisters it.
     */
    boolean hasChannels() {
        return registered.get() > 0;
    }

    /** A mark to pass to {@link #dispatchSince}. Home thread. */
    int mark() {
        return readyCount;
    }

    /**
     * Waits for readiness: {@code timeoutNanos} 0 does not wait, -1 waits without bound.
     * Home thread.
     */
    void select(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(collect);
            } else if (timeoutNanos < 0) {
                selector.select(collect);
            } else {
                // Round up: the selector counts milliseconds, and 0 would mean forever.
                selector.select(collect, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        }
    }

    private void collect(SelectionKey key) {
        if (readyCount == readyKeys.length) {
            readyKeys = Arrays.copyOf(readyKeys, readyCount * 2);
            readyOps = Arrays.copyOf(readyOps, readyCount * 2);
        }
        readyKeys[readyCount] = key;
        readyOps[readyCount] = key.readyOps();
        readyCount++;
    }

    /**
     * Runs the handlers of keys collected since {@code mark}. Home thread.
     *
     * @return how many handlers ran
     */
    int dispatchSince(int mark) {
        int end = readyCount;
        int ran = 0;
        try {
            for (int i = mark; i < end; i++) {
                SelectionKey key = readyKeys[i];
                readyKeys[i] = null;
                if (key != null && ((ChannelRegistrationImpl) key.attachment()).dispatch(readyOps[i])) {
                    ran++;
                }
            }
        } finally {
            Arrays.fill(readyKeys, mark, readyCount, null);
            readyCount = mark;
        }
        return ran;
    }

    void close() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.cancel();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the selector", e);
        }
    }
}
