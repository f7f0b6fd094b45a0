package org.hvkit.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioTimer;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.ClockType;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One kind of work of {@link SoakIT}: it runs in its own thread until the shared deadline,
 * checks its exactly-once invariant as it goes and once more at the end, and returns a
 * short line of figures. A broken invariant is an {@link AssertionError}.
 */
abstract class SoakActivity {

    /** How long the end-of-run checks wait for the last callbacks. */
    static final long SETTLE_MS = Services.TIMEOUT_MS;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final long deadline;

    SoakActivity(long deadline) {
        this.deadline = deadline;
    }

    /** Runs until the deadline, then checks. */
    abstract String run() throws Exception;

    final boolean running() {
        return System.nanoTime() - deadline < 0;
    }

    final long remainingNanos() {
        return deadline - System.nanoTime();
    }

    /** Waits at most {@link #SETTLE_MS} for {@code done}; fails with {@code what} otherwise. */
    static void settle(Supplier<String> what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what.get());
            }
            Thread.sleep(5);
        }
    }

    /**
     * A producer thread scheduling distinct BHs of its own onto an IOThread. A BH is scheduled
     * only when it is not pending, and its callback clears the mark: a run without a schedule
     * (a duplicate) finds no mark, and a lost schedule leaves one behind.
     */
    static final class CrossThreadSchedules extends SoakActivity {
        private static final int BOTTOM_HALVES = 64;
        private static final int BURST = 512;

        private final String name;
        private final AioContext context;
        private final AtomicIntegerArray pending = new AtomicIntegerArray(BOTTOM_HALVES);
        private final AtomicLong runs = new AtomicLong();
        private final AtomicReference<String> failure = new AtomicReference<>();

        CrossThreadSchedules(String name, AioContext context, long deadline) {
            super(deadline);
            this.name = name;
            this.context = context;
        }

        @Override
        String run() throws InterruptedException {
            BottomHalf[] bhs = new BottomHalf[BOTTOM_HALVES];
            for (int i = 0; i < BOTTOM_HALVES; i++) {
                int index = i;
                bhs[i] = context.newBottomHalf(name + "-" + i, () -> {
                    if (!pending.compareAndSet(index, 1, 0)) {
                        failure.compareAndSet(null, name + ": BH " + index + " ran without a schedule");
                    }
                    runs.incrementAndGet();
                });
            }
            long scheduled = 0;
            int next = 0;
            while (running() && failure.get() == null) {
                for (int i = 0; i < BURST; i++) {
                    next = (next + 1) % BOTTOM_HALVES;
                    if (pending.compareAndSet(next, 0, 1)) {
                        bhs[next].schedule();
                        scheduled++;
                    }
                }
                LockSupport.parkNanos(50_000); // leave the CPU to the device some of the time
            }
            settle(() -> name + ": BHs still pending after the run", () -> {
                for (int i = 0; i < BOTTOM_HALVES; i++) {
                    if (pending.get(i) != 0) {
                        return false;
                    }
                }
                return true;
            });
            for (BottomHalf bh : bhs) {
                bh.delete();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            if (runs.get() != scheduled) {
                throw new AssertionError(name + ": scheduled " + scheduled + ", ran " + runs.get());
            }
            return name + " schedules=" + scheduled + " runs=" + runs.get();
        }
    }

    /** A callback in the IOThread that schedules a BH and polls, nested, until it ran. */
    static final class NestedPolls extends SoakActivity {
        private static final int MAX_NESTED_POLLS = 10_000;

        private final AioContext context;

        NestedPolls(AioContext context, long deadline) {
            super(deadline);
            this.context = context;
        }

        @Override
        String run() {
            AtomicLong innerRuns = new AtomicLong();
            AtomicBoolean ran = new AtomicBoolean();
            BottomHalf inner = context.newBottomHalf("soak-nested-inner", () -> {
                ran.set(true);
                innerRuns.incrementAndGet();
            });
            long outer = 0;
            try {
                while (running()) {
                    boolean innerRan = context.call(() -> {
                        ran.set(false);
                        inner.schedule();
                        for (int polls = 0; !ran.get() && polls < MAX_NESTED_POLLS; polls++) {
                            context.poll(false);
                        }
                        return ran.get();
                    }, CALL_TIMEOUT);
                    if (!innerRan) {
                        throw new AssertionError("a BH scheduled in a callback did not run in "
                                + MAX_NESTED_POLLS + " nested polls");
                    }
                    outer++;
                    LockSupport.parkNanos(1_000_000);
                }
            } finally {
                inner.delete();
            }
            if (innerRuns.get() != outer) {
                throw new AssertionError("nested: " + outer + " outer callbacks, " + innerRuns.get() + " inner runs");
            }
            return "nested polls=" + outer;
        }
    }

    /** A timer that re-arms itself from its callback: every arming fires exactly once. */
    static final class RearmingTimer extends SoakActivity {
        private static final long PERIOD_NANOS = 200_000;

        private final AioContext context;

        RearmingTimer(AioContext context, long deadline) {
            super(deadline);
            this.context = context;
        }

        @Override
        String run() throws InterruptedException {
            AtomicLong arms = new AtomicLong();
            AtomicLong fires = new AtomicLong();
            AtomicBoolean armed = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicReference<AioTimer> self = new AtomicReference<>();
            AioTimer timer = context.newTimer(ClockType.REALTIME, "soak-timer", () -> {
                fires.incrementAndGet();
                if (!armed.compareAndSet(true, false)) {
                    failure.compareAndSet(null, "the timer fired without being armed");
                }
                if (running()) {
                    armed.set(true);
                    arms.incrementAndGet();
                    self.get().modRelativeNanos(PERIOD_NANOS);
                }
            });
            self.set(timer);
            armed.set(true);
            arms.incrementAndGet();
            timer.modRelativeNanos(PERIOD_NANOS);
            while (running()) {
                Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(remainingNanos()))));
            }
            settle(() -> "the timer's last arming did not fire", () -> !armed.get());
            timer.delete();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            if (arms.get() != fires.get()) {
                throw new AssertionError("timer: armed " + arms.get() + " times, fired " + fires.get());
            }
            return "timer fires=" + fires.get();
        }
    }

    /** An extra IOThread of one name configured, used once and removed, again and again. */
    static final class IoThreadChurn extends SoakActivity {
        private static final String NAME = "it-soak-churn";

        private final BundleContext bundleContext;
        private final ConfigurationAdmin configurationAdmin;

        IoThreadChurn(BundleContext bundleContext, ConfigurationAdmin configurationAdmin, long deadline) {
            super(deadline);
            this.bundleContext = bundleContext;
            this.configurationAdmin = configurationAdmin;
        }

        @Override
        String run() throws Exception {
            ServiceTracker<AioContext, AioContext> tracker =
                    Services.track(bundleContext, AioContext.class, "(aio.context.name=" + NAME + ")");
            long cycles = 0;
            try {
                while (running()) {
                    // A new configuration alias each cycle (the context's name stays NAME): a
                    // factory configuration deleted and at once made again under the same alias
                    // was now and then never delivered to SCR here (no error, every thread idle).
                    var configuration = configurationAdmin.getFactoryConfiguration(
                            Configurations.IOTHREAD_PID, NAME + "-" + cycles, "?");
                    configuration.update(Dictionaries.of("name", NAME));
                    AioContext added = tracker.waitForService(Services.TIMEOUT_MS);
                    if (added == null) {
                        throw new AssertionError(NAME + " did not appear within " + Services.TIMEOUT_MS
                                + " ms, after " + cycles + " cycles");
                    }
                    ServiceReference<AioContext> reference = tracker.getServiceReference();
                    if (!added.call(added::inContextThread, CALL_TIMEOUT)) {
                        throw new AssertionError(NAME + ": a call did not run in its IOThread");
                    }
                    Services.awaitUnregistered(bundleContext, reference, NAME, configuration::delete);
                    cycles++;
                }
            } finally {
                tracker.close();
            }
            return "iothreads added and removed=" + cycles;
        }
    }

    /** The scheduler of one IOThread switched back and forth under the device's queues. */
    static final class SchedulerSwaps extends SoakActivity {
        private static final long PAUSE_MS = 500;

        private final BundleContext bundleContext;
        private final ConfigurationAdmin configurationAdmin;
        private final String name;

        SchedulerSwaps(BundleContext bundleContext, ConfigurationAdmin configurationAdmin, String name,
                long deadline) {
            super(deadline);
            this.bundleContext = bundleContext;
            this.configurationAdmin = configurationAdmin;
            this.name = name;
        }

        @Override
        String run() throws Exception {
            long swaps = 0;
            String scheduler = "sliced";
            while (running()) {
                Thread.sleep(PAUSE_MS);
                scheduler = "sliced".equals(scheduler) ? "linear" : "sliced";
                configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, name, "?")
                        .update(Dictionaries.of("name", name, "scheduler", scheduler));
                ServiceTracker<AioContext, AioContext> tracker = Services.track(bundleContext, AioContext.class,
                        "(&(aio.context.name=" + name + ")(aio.scheduler=" + scheduler + "))");
                try {
                    Services.await(tracker, name + " with scheduler " + scheduler);
                } finally {
                    tracker.close();
                }
                swaps++;
            }
            return "scheduler swaps=" + swaps;
        }
    }

    /** Verify workloads on the device, each followed by a reset from outside the guest. */
    static final class VerifyWorkloads extends SoakActivity {
        private static final long LONGEST_RUN_MS = 3_000;

        private final VirtioDevice device;

        VerifyWorkloads(VirtioDevice device, long deadline) {
            super(deadline);
            this.device = device;
        }

        @Override
        String run() {
            long ios = 0;
            long runs = 0;
            do {
                long millis = Math.max(500, Math.min(LONGEST_RUN_MS, TimeUnit.NANOSECONDS.toMillis(remainingNanos())));
                WorkloadResult result = device.runWorkload(WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 8, 2,
                        Duration.ofMillis(millis)).withVerify(true), progress -> { });
                if (result.errors() != 0 || result.mismatches() != 0 || result.ios() == 0) {
                    throw new AssertionError("workload " + runs + ": " + result);
                }
                device.reset();
                ios += result.ios();
                runs++;
            } while (running());
            return "verify workloads=" + runs + " ios=" + ios + " mismatches=0 errors=0 resets=" + runs;
        }
    }
}
