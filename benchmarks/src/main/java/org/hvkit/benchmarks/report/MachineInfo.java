package org.hvkit.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the figures were measured on: CPU model and count, memory, OS, JDK, and the load
 * average (the machine may be shared), read from {@code /proc} where there is one.
 *
 * <p>Thread-safety: stateless.
 */
final class MachineInfo {

    private MachineInfo() {
    }

    static String cpu() {
        String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
        return (model == null ? System.getProperty("os.arch") : model) + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs available to the JVM";
    }

    static String memory() {
        String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        return total == null ? "unknown" : total;
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
    }

    static String jdk() {
        return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
