package org.hvkit.benchmarks.virtio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of {@code jdk.ExecutionSample} alone, made in process, that tells which share
 * of some threads' samples had their top frame (the method running when sampled, inlined frames
 * included) in given classes. JFR samples only threads running Java code, so a thread asleep
 * in the selector adds no samples: the share is of the thread's CPU time in Java code.
 *
 * <p>Thread-safety: one thread starts and stops it.
 */
final class ExecutionProfile {

    /** The sampling period: 1 ms, JFR's shortest, about 1,000 samples per busy second. */
    private static final Duration PERIOD = Duration.ofMillis(1);

    private final Recording recording = new Recording();

    ExecutionProfile() {
        recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
        recording.setToDisk(true);
    }

    void start() {
        recording.start();
    }

    /** Samples of one thread: how many in all, how many with the top frame in each class group. */
    record Shares(long samples, long[] inGroup) {

        /** The fraction of the samples in group {@code i}; NaN without samples. */
        double share(int i) {
            return samples == 0 ? Double.NaN : inGroup[i] / (double) samples;
        }
    }

    /**
     * Stops the recording and counts the samples of each thread named in {@code threadNames}.
     *
     * @param groups each a list of class names; a frame is in a group if its class is one of
     *     them or nested in one of them
     * @return the shares of each thread, by name
     */
    Map<String, Shares> stop(List<String> threadNames, List<List<String>> groups) {
        recording.stop();
        Path file = null;
        try {
            file = Files.createTempFile("hvkit-profile", ".jfr");
            recording.dump(file);
            Map<String, long[]> counts = new HashMap<>();
            for (String name : threadNames) {
                counts.put(name, new long[groups.size() + 1]); // [0]: all samples
            }
            try (RecordingFile events = new RecordingFile(file)) {
                while (events.hasMoreEvents()) {
                    RecordedEvent e = events.readEvent();
                    RecordedThread t = e.getThread("sampledThread");
                    long[] c = t == null ? null : counts.get(t.getJavaName());
                    if (c == null) {
                        continue;
                    }
                    c[0]++;
                    String top = topClass(e.getStackTrace());
                    for (int g = 0; g < groups.size(); g++) {
                        if (top != null && inClasses(top, groups.get(g))) {
                            c[g + 1]++;
                        }
                    }
                }
            }
            Map<String, Shares> shares = new HashMap<>();
            counts.forEach((name, c) -> shares.put(name, new Shares(c[0], Arrays.copyOfRange(c, 1, c.length))));
            return shares;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    private static String topClass(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return null;
        }
        RecordedFrame top = stack.getFrames().get(0);
        return top.getMethod().getType().getName();
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
