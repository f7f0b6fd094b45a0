package org.hvkit.benchmarks.virtio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * A CPU profile of the benchmark JVM, made in process with async-profiler, that tells which
 * share of some threads' samples was spent in given classes. A thread is sampled per interval
 * of the CPU time it used (the {@code cpu} event: the kernel's CPU clock through perf_events,
 * or per-thread timers where perf_events are not allowed), in Java, native and kernel code
 * alike: a share is of the thread's CPU time, and a thread asleep in the selector takes no
 * samples.
 *
 * <p>A sample is charged to the first frame from the top that is neither the JDK's, nor
 * native, nor the kernel's: the time of a {@code VarHandle} operation, of a system call or of
 * a JDK method goes to the method that called it. So a BH's flag operation counts for the BH,
 * and a callback's work for the callback, not for the scheduler that called it.
 *
 * <p>Thread-safety: one thread starts and stops it; one profile at a time in a JVM.
 */
final class ExecutionProfile {

    /**
     * One sample per millisecond of a thread's CPU time, about 1,000 per busy second. Denser
     * sampling disturbs what it measures: at one per 100 us, the seed scenario's IOThread did a
     * quarter of its requests per second at iodepth 1, and used four times the CPU per request.
     */
    private static final String START = "start,event=cpu,interval=1ms,threads";
    private static final List<String> JDK_PACKAGES = List.of("java/", "jdk/", "sun/", "com/sun/");

    private final AsyncProfiler profiler;

    private ExecutionProfile(AsyncProfiler profiler) {
        this.profiler = profiler;
    }

    /**
     * Starts profiling the whole JVM.
     *
     * @throws IllegalStateException if async-profiler cannot load or start here, with its reason
     */
    static ExecutionProfile start() {
        try {
            AsyncProfiler profiler = AsyncProfiler.getInstance();
            profiler.execute(START);
            return new ExecutionProfile(profiler);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new IllegalStateException("async-profiler cannot profile this JVM: " + e.getMessage(), e);
        }
    }

    /** Samples of one thread: how many in all, how many charged to each class group. */
    record Shares(long samples, long[] inGroup) {

        /** The fraction of the samples in group {@code i}; NaN without samples. */
        double share(int i) {
            return samples == 0 ? Double.NaN : inGroup[i] / (double) samples;
        }
    }

    /**
     * Stops the profile and counts the samples of each thread named in {@code threadNames}.
     *
     * @param groups each a list of class names; a frame is in a group if its class is one of
     *     them or nested in one of them
     * @param saveTo where to write the whole profile as collapsed stacks (a line per stack, its
     *     frames from the thread down to the top, then its sample count), or null
     * @return the shares of each thread, by name
     */
    Map<String, Shares> stop(List<String> threadNames, List<List<String>> groups, Path saveTo) {
        String collapsed;
        try {
            collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
        } finally {
            profiler.stop();
        }
        if (saveTo != null) {
            try {
                Files.writeString(saveTo, collapsed, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the profile to " + saveTo, e);
            }
        }
        return shares(collapsed, threadNames, groups);
    }

    /**
     * Counts the samples of each thread named in {@code threadNames} in a profile given as
     * collapsed stacks made with the {@code threads} option (each stack's first frame is its
     * thread, "[name tid=N]").
     */
    static Map<String, Shares> shares(String collapsed, List<String> threadNames, List<List<String>> groups) {
        Map<String, long[]> counts = new HashMap<>();
        for (String name : threadNames) {
            counts.put(name, new long[groups.size() + 1]); // [0]: all samples
        }
        for (String line : collapsed.split("\n")) {
            count(line, counts, groups);
        }
        Map<String, Shares> shares = new HashMap<>();
        counts.forEach((name, c) -> shares.put(name, new Shares(c[0], Arrays.copyOfRange(c, 1, c.length))));
        return shares;
    }

    /** One line of the collapsed output: "[thread tid=N];frame;...;top-frame count". */
    private static void count(String line, Map<String, long[]> counts, List<List<String>> groups) {
        int space = line.lastIndexOf(' ');
        if (space < 0 || !line.startsWith("[")) {
            return;
        }
        String[] frames = line.substring(0, space).split(";");
        long[] c = counts.get(threadName(frames[0]));
        if (c == null) {
            return;
        }
        long samples = Long.parseLong(line.substring(space + 1).trim());
        c[0] += samples;
        String charged = chargedClass(frames);
        for (int g = 0; g < groups.size(); g++) {
            if (charged != null && inClasses(charged, groups.get(g))) {
                c[g + 1] += samples;
            }
        }
    }

    /** "[IO bench tid=1234]" is thread "IO bench". */
    private static String threadName(String frame) {
        int tid = frame.lastIndexOf(" tid=");
        return frame.substring(1, tid < 0 ? frame.length() - 1 : tid);
    }

    /** The class of the first frame from the top that is Java code outside the JDK, or null. */
    private static String chargedClass(String[] frames) {
        for (int i = frames.length - 1; i > 0; i--) {
            String frame = frames[i];
            // Java frames are "pkg/Class.method"; native and kernel ones have no package.
            if (frame.indexOf('/') < 0 || frame.endsWith("_[k]") || isJdk(frame)) {
                continue;
            }
            int dot = frame.lastIndexOf('.');
            return (dot < 0 ? frame : frame.substring(0, dot)).replace('/', '.');
        }
        return null;
    }

    private static boolean isJdk(String frame) {
        for (String p : JDK_PACKAGES) {
            if (frame.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inClasses(String className, List<String> classes) {
        for (String c : classes) {
            if (className.equals(c) || className.startsWith(c + "$")) {
                return true;
            }
        }
        return false;
    }
}
