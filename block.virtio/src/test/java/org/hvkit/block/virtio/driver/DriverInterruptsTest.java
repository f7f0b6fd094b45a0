package org.hvkit.block.virtio.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The interrupt flags and the driver thread's wait, with the interrupts raised directly. */
class DriverInterruptsTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

    private final DriverInterrupts interrupts = new DriverInterrupts(2);

    @Test
    void shouldReturnAtOnceWhenAQueueInterruptIsPending() {
        interrupts.queueInterrupt(1);

        assertThat(interrupts.await(LONG_WAIT)).isTrue();
        assertThat(interrupts.pending(1)).isTrue();
        assertThat(interrupts.pending(0)).isFalse();
    }

    @Test
    void shouldTimeOutWhenNothingArrives() {
        long start = System.nanoTime();

        boolean signalled = interrupts.await(TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(signalled).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void shouldNotWakeForAClearedInterrupt() {
        interrupts.queueInterrupt(0);
        interrupts.clear(0);

        assertThat(interrupts.await(0)).isFalse();
    }

    @Test
    void shouldIgnoreAnInterruptForAQueueItDoesNotHave() {
        interrupts.queueInterrupt(2);
        interrupts.queueInterrupt(-1);

        assertThat(interrupts.await(0)).isFalse();
    }

    @Test
    void shouldUnparkTheWaitingDriverOnAQueueInterrupt() throws Exception {
        CompletableFuture<Boolean> woken = waitInAnotherThread();

        interrupts.queueInterrupt(0);

        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldUnparkTheWaitingDriverOnAConfigurationChange() throws Exception {
        CompletableFuture<Boolean> woken = waitInAnotherThread();

        interrupts.configChanged();

        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupts.configChangedSeen()).isTrue();
    }

    @Test
    void shouldStopWaitingWhenTheDriverThreadIsInterrupted() throws Exception {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread driver = new Thread(() -> result.complete(interrupts.await(LONG_WAIT)), "driver");
        driver.start();
        awaitParked(driver);

        driver.interrupt();

        assertThat(result.get(10, TimeUnit.SECONDS)).isFalse();
    }

    /** Starts a driver thread in await and returns once it is parked, so the wake-up is what ends it. */
    private CompletableFuture<Boolean> waitInAnotherThread() throws InterruptedException {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread driver = new Thread(() -> result.complete(interrupts.await(LONG_WAIT)), "driver");
        driver.start();
        awaitParked(driver);
        return result;
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    }
}
