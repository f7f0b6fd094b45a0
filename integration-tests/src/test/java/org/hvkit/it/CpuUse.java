package org.hvkit.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CPUs went while something ran: the whole JVM, the thread that ran it, and the JIT
 * compilers, summed over every {@link #start()}/{@link #stop()} stretch. It tells whether a
 * slow step waited for its own work or for CPUs that the rest of the JVM kept busy.
 *
 * <p>Thread-safety: one thread, the one whose CPU time is counted.
 */
final class CpuUse {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Linux's per-thread statistics; the JIT's threads are not Java threads that ThreadMXBean shows. */
    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ, the unit of /proc's times: 100 on every Linux architecture Java runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long wallNanos;
    private long threadNanos;
    private long processNanos;
    private long jitNanos;
    private int stretches;

    private long wallStart;
    private long threadStart;
    private long processStart;
    private long jitStart;
    /** False where /proc cannot tell the JIT's CPU time. */
    private boolean jitKnown = true;

    void start() {
        // Slowest reading first and the wall clock last, so the stretch holds little of this.
        jitStart = jitCpuNanos();
        processStart = OS.getProcessCpuTime();
        threadStart = THREADS.getCurrentThreadCpuTime();
        wallStart = System.nanoTime();
    }

    void stop() {
        wallNanos += System.nanoTime() - wallStart;
        threadNanos += THREADS.getCurrentThreadCpuTime() - threadStart;
        processNanos += OS.getProcessCpuTime() - processStart;
        long jitEnd = jitCpuNanos();
        jitKnown &= jitStart >= 0 && jitEnd >= 0;
        jitNanos += jitEnd - jitStart;
        stretches++;
    }

    /**
     * The sums as CPUs busy on average, e.g. "25 stretches, 2.1 s: JVM 1.93 of 2 CPUs, this
     * thread 0.55, JIT compiler threads 0.98". The JVM's and the JIT's figures come from the
     * kernel's times, which count in clock ticks; summed over many stretches they are close.
     */
    String summary() {
        double wall = Math.max(1, wallNanos);
        return String.format("%d stretches, %.2f s: JVM %.2f of %d CPUs, this thread %.2f, JIT compiler threads %s",
                stretches, wall / 1e9, processNanos / wall, Runtime.getRuntime().availableProcessors(),
                threadNanos / wall, jitKnown ? String.format("%.2f", jitNanos / wall) : "unknown (no /proc)");
    }

    /** CPU time of the JIT's compiler threads so far, or -1 if /proc does not tell. */
    private static long jitCpuNanos() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended since the listing
                }
                // "tid (comm) state ...": comm may hold blanks, so fields count from its ')'.
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(stat.indexOf('(') + 1, close);
                if (comm.contains("CompilerThre")) {
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }
}
