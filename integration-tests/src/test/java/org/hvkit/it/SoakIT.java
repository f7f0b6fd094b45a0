package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;

import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The soak: for {@code hvkit.soak.seconds} (60 by default, as CI runs it; {@code scripts/soak}
 * sets it) every kind of work runs at once in the whole system: cross-thread schedules,
 * nested polls, self-rearming timers, IOThreads added and removed, scheduler swaps, and
 * virtio verify workloads each followed by a device reset. Each activity checks its own
 * exactly-once invariant as it goes; at the end no IOThread, pending BH or device BH is left
 * over and the heap after GC has not grown beyond a bound. One line of figures is printed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT {

    static final String DEVICE_PID = "org.hvkit.block.virtio.blk";
    static final String DEVICE = "it-soak";
    /**
     * it-soak0 is stable and carries the loop activities; it runs the linear scheduler, which
     * counts live BHs, so a leak of the device's BHs shows. it-soak1 is swapped between both.
     */
    static final String STABLE = "it-soak0";
    static final String SWAPPED = "it-soak1";

    /** Growth of the heap after GC, start to end, that counts as a leak. */
    private static final long HEAP_GROWTH_BOUND = 64L << 20;
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIoThreadsAndDevice() throws Exception {
        configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, STABLE, "?")
                .update(Dictionaries.of("name", STABLE, "scheduler", "linear"));
        configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, SWAPPED, "?")
                .update(Dictionaries.of("name", SWAPPED, "scheduler", "sliced"));
        Dictionary<String, Object> properties = Dictionaries.of("id", DEVICE);
        properties.put("backend", "ram");
        properties.put("capacity", "32M");
        properties.put("num.queues", 2);
        properties.put("iothread.vq.mapping", STABLE + "," + SWAPPED);
        configurationAdmin.getFactoryConfiguration(DEVICE_PID, DEVICE, "?").update(properties);
    }

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
    }

    @Test
    public void shouldKeepEveryInvariantUnderMixedWork() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("hvkit.soak.seconds", 60));
        AioContext stable = Services.await(
                tracker(AioContext.class, "(&(aio.context.name=" + STABLE + ")(aio.scheduler=linear))"), STABLE);
        Services.await(tracker(AioContext.class, "(aio.context.name=" + SWAPPED + ")"), SWAPPED);
        VirtioDevice device = Services.await(tracker(VirtioDevice.class, "(" + VirtioDevice.ID + "=" + DEVICE + ")"),
                DEVICE);
        long requestsBefore = requests(device);
        long deviceBottomHalves = stable.snapshot().createdBottomHalves();
        assertTrue("the linear scheduler counts live BHs", deviceBottomHalves >= 0);
        long ioThreads = IoThreads.count();
        long heapBefore = heapAfterGc();

        long deadline = System.nanoTime() + duration.toNanos();
        List<SoakActivity> activities = List.of(
                new SoakActivity.CrossThreadSchedules("producer-a", stable, deadline),
                new SoakActivity.CrossThreadSchedules("producer-b", stable, deadline),
                new SoakActivity.NestedPolls(stable, deadline),
                new SoakActivity.RearmingTimer(stable, deadline),
                new SoakActivity.IoThreadChurn(context, configurationAdmin, deadline),
                new SoakActivity.SchedulerSwaps(context, configurationAdmin, SWAPPED, deadline),
                new SoakActivity.VerifyWorkloads(device, deadline));
        ExecutorService pool = Executors.newFixedThreadPool(activities.size());
        List<Future<String>> results = new ArrayList<>();
        try {
            for (SoakActivity activity : activities) {
                results.add(pool.submit(activity::run));
            }
            List<String> figures = new ArrayList<>();
            for (Future<String> result : results) {
                // Each activity stops at the deadline; its last step may take a workload's length more.
                try {
                    figures.add(result.get(duration.toSeconds() + 120, TimeUnit.SECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    System.err.println(threadDump()); // where the system stood when the activity failed
                    throw e;
                }
            }

            IoThreads.awaitCount(ioThreads);
            awaitNothingPending(stable);
            assertEquals("device BHs on " + STABLE + " after all resets", deviceBottomHalves,
                    stable.snapshot().createdBottomHalves());
            long requests = requests(device) - requestsBefore;
            long heapAfter = heapAfterGc();
            String line = String.format("SoakIT: %d s; %s; device requests taken=%d; heap after GC %d -> %d MiB",
                    duration.toSeconds(), String.join("; ", figures), requests, heapBefore >> 20, heapAfter >> 20);
            System.out.println(line);
            assertTrue("the heap after GC grew by more than " + (HEAP_GROWTH_BOUND >> 20) + " MiB: " + line,
                    heapAfter - heapBefore < HEAP_GROWTH_BOUND);
            for (QueueSnapshot q : device.snapshot(SNAPSHOT_TIMEOUT).queues()) {
                assertEquals("queue " + q.index() + " in flight at the end: " + q, 0, q.inFlight());
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private <T> ServiceTracker<T, T> tracker(Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = Services.track(context, type, filter);
        trackers.add(tracker);
        return tracker;
    }

    /** Waits until no BH is pending on {@code context}: every schedule of the run has run. */
    private static void awaitNothingPending(AioContext context) throws InterruptedException {
        SoakActivity.settle(() -> "BHs still pending on " + context.name() + ": "
                + context.snapshot().pendingBottomHalves(), () -> context.snapshot().pendingBottomHalves().isEmpty());
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder("SoakIT: threads at the failure\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }

    private static long requests(VirtioDevice device) {
        return device.snapshot(SNAPSHOT_TIMEOUT).queues().stream().mapToLong(QueueSnapshot::requests).sum();
    }

    /** Used heap after a full collection, the best of three to let finalisation settle. */
    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
