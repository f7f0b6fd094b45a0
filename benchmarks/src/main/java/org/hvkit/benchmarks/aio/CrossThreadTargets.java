package org.hvkit.benchmarks.aio;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.impl.BenchmarkIoThread;
import org.hvkit.aio.monitor.ContextCounters;

/**
 * The loops a producer thread hands callbacks to in {@link CrossThreadBenchmark}: an hvkit
 * IOThread (a BH per task, scheduled again and again), Netty 4.2's NIO event loop
 * ({@code execute}) and a JDK single-thread executor ({@code execute}). Each target holds
 * {@code tasks} distinct tasks made once, so the steady state allocates only what the loop
 * itself allocates per hand-over.
 *
 * <p>Thread-safety: {@link Target#submit} from the one producer thread; the tasks run in the
 * target's own thread.
 */
final class CrossThreadTargets {

    private static final Duration STOP = Duration.ofSeconds(10);

    private CrossThreadTargets() {
    }

    /** A loop the producer hands task {@code i} to. */
    interface Target extends AutoCloseable {

        void submit(int task);

        /** The loop's counters (wake-ups, waits), or null if the loop keeps none. */
        ContextCounters counters();

        @Override
        void close();
    }

    /**
     * @param name "sliced" or "linear" (an hvkit IOThread), "netty-nio", "jdk-single" or
     *     "protocol-floor" (see {@link ProtocolFloorTarget})
     * @param tasks how many distinct tasks
     * @param task what each task runs, in the loop's thread
     */
    static Target create(String name, int tasks, Runnable task) {
        return switch (name) {
            case "sliced", "linear" -> new IoThreadTarget(name, tasks, task);
            case "netty-nio" -> new NettyTarget(tasks, task);
            case "jdk-single" -> new JdkTarget(tasks, task);
            case "protocol-floor" -> new ProtocolFloorTarget(tasks, task);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }

    /** Distinct Runnable objects doing the same work: no loop can merge or recognise them. */
    private static Runnable[] distinct(int tasks, Runnable task) {
        Runnable[] runnables = new Runnable[tasks];
        for (int i = 0; i < tasks; i++) {
            runnables[i] = () -> task.run();
        }
        return runnables;
    }

    private static final class IoThreadTarget implements Target {
        private final BenchmarkIoThread ioThread;
        private final BottomHalf[] bhs;

        IoThreadTarget(String scheduler, int tasks, Runnable task) {
            ioThread = new BenchmarkIoThread("bench-cross-thread", scheduler, BenchmarkIoThread.DEFAULT_POLL_MAX_NS);
            bhs = new BottomHalf[tasks];
            for (int i = 0; i < tasks; i++) {
                bhs[i] = ioThread.context().newBottomHalf("task" + i, task);
            }
        }

        @Override
        public void submit(int task) {
            bhs[task].schedule();
        }

        @Override
        public ContextCounters counters() {
            return ioThread.context().snapshot().counters();
        }

        @Override
        public void close() {
            for (BottomHalf bh : bhs) {
                bh.delete();
            }
            ioThread.close();
        }
    }

    private static final class NettyTarget implements Target {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final EventLoop loop = group.next();
        private final Runnable[] tasks;

        NettyTarget(int tasks, Runnable task) {
            this.tasks = distinct(tasks, task);
        }

        @Override
        public void submit(int task) {
            loop.execute(tasks[task]);
        }

        @Override
        public ContextCounters counters() {
            return null;
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, STOP.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    private static final class JdkTarget implements Target {
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final Runnable[] tasks;

        JdkTarget(int tasks, Runnable task) {
            this.tasks = distinct(tasks, task);
        }

        @Override
        public void submit(int task) {
            executor.execute(tasks[task]);
        }

        @Override
        public ContextCounters counters() {
            return null;
        }

        @Override
        public void close() {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the executor did not stop within " + STOP);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
