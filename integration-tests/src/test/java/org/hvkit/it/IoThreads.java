package org.hvkit.it;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The live IOThreads of this JVM, by their thread names ("IO name", as QEMU names them). */
final class IoThreads {

    private IoThreads() {
    }

    static long count() {
        return names().size();
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("IO ")) {
                names.add(thread.getName());
            }
        }
        names.sort(null);
        return names;
    }

    /** Waits at most {@link Services#TIMEOUT_MS} until there are {@code expected} IOThreads. */
    static void awaitCount(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        long count = count();
        while (count != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            count = count();
        }
        assertEquals("live IO threads: " + names(), expected, count);
    }
}
