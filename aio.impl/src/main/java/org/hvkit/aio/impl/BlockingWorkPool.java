package org.hvkit.aio.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.hvkit.aio.BottomHalf;

/**
 * The context's pool for blocking work ({@code thread_pool_submit_aio}). Finished work is
 * pushed on a lock-free stack; one bottom half takes the whole stack and runs the
 * completions in the home thread, in submission-completion order.
 *
 * <p>Thread-safety: {@link #submit} from any thread; {@link #runCompletions()} only in the
 * home thread (it is the completion BH's callback); {@link #shutdown} by the context's close.
 */
final class BlockingWorkPool {

    /** QEMU's default maximum of worker threads per pool. */
    static final int MAX_WORKERS = 64;

    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(BlockingWorkPool.class, "done", Work.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String contextName;
    private final LongAdder submitted = new LongAdder();
    private final AtomicInteger workerIds = new AtomicInteger();
    private volatile ThreadPoolExecutor executor;
    private BottomHalf completionBh;

    /** Stack of finished work, newest first: pushed by workers, taken by the home thread. */
    @SuppressWarnings("unused")
    private volatile Work<?> done;

    /** One unit of blocking work and, once finished, its outcome. */
    private static final class Work<T> implements Runnable {
        final Callable<T> task;
        final BiConsumer<T, Throwable> onDone;
        final BlockingWorkPool pool;
        T result;
        Throwable failure;
        Work<?> next;

        Work(Callable<T> task, BiConsumer<T, Throwable> onDone, BlockingWorkPool pool) {
            this.task = task;
            this.onDone = onDone;
            this.pool = pool;
        }

        @Override
        public void run() {
            try {
                result = task.call();
            } catch (Throwable t) {
                failure = t;
            }
            pool.finished(this);
        }

        void complete() {
            onDone.accept(result, failure);
        }
    }

    BlockingWorkPool(String contextName) {
        this.contextName = contextName;
    }

    /** Binds the completion BH; called once by the context before any submit. */
    void bind(BottomHalf completionBh) {
        this.completionBh = completionBh;
    }

    <T> void submit(Callable<T> task, BiConsumer<T, Throwable> onDone) {
        submitted.increment();
        executor().execute(new Work<>(task, onDone, this));
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor current = executor;
        if (current == null) {
            synchronized (this) {
                current = executor;
                if (current == null) {
                    current = new ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS, 10, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, contextName + "-worker-" + workerIds.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    current.allowCoreThreadTimeOut(true);
                    executor = current;
                }
            }
        }
        return current;
    }

    /** Worker thread: publishes the outcome and asks the loop to run completions. */
    private void finished(Work<?> work) {
        Work<?> head;
        do {
            head = (Work<?>) DONE.getVolatile(this);
            work.next = head;
            // Pairs with the exchange in runCompletions(): result and failure are visible there.
        } while (!DONE.compareAndSet(this, head, work));
        completionBh.schedule();
    }

    /**
     * Runs every finished completion, oldest first. The completion BH's callback.
     *
     * @return how many ran
     */
    int runCompletions() {
        Work<?> stack = (Work<?>) DONE.getAndSet(this, (Work<?>) null);
        Work<?> fifo = null;
        while (stack != null) {
            Work<?> next = stack.next;
            stack.next = fifo;
            fifo = stack;
            stack = next;
        }
        int ran = 0;
        RuntimeException first = null;
        for (Work<?> work = fifo; work != null; work = work.next) {
            ran++;
            try {
                work.complete();
            } catch (RuntimeException | Error e) {
                // One failing completion must not lose the others of the batch.
                if (first == null) {
                    first = e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return ran;
    }

    long submitted() {
        return submitted.sum();
    }

    /**
     * Stops taking work and waits up to {@code millis} for running work to finish.
     *
     * @return whether all work finished
     */
    boolean shutdown(long millis) throws InterruptedException {
        ThreadPoolExecutor current = executor;
        if (current == null) {
            return true;
        }
        current.shutdown();
        return current.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
