package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.aio.AioContext;
import org.hvkit.aio.AioContextFactory;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.blk.BlkQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The host across context services coming and going, as DS reports them: the first start waits
 * for every mapped context; later a mapped context going away detaches its queues and one of
 * the same name coming back attaches them, with the device service registered throughout.
 * Each context is polled by a loop thread of its own, as an IOThread is.
 */
class BlkDeviceHostTest {

    private static final AioContextFactory FACTORY =
            ServiceLoader.load(AioContextFactory.class).findFirst().orElseThrow();
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger unregistered = new AtomicInteger();
    private final DeviceSettings settings = new DeviceSettings("vblk-test", 4, 64, BackendKind.RAM, null, 1 << 20,
            false, List.of("io0", "io1"), "hvkit-test", Duration.ofSeconds(5), TransportKind.INPROCESS, null);
    private final BlkDeviceHost host = new BlkDeviceHost(bundleContext(), settings);
    private final List<Loop> loops = new ArrayList<>();

    /** A context and the thread polling it. */
    private static final class Loop {
        final AioContext context;
        final Thread thread;
        volatile boolean stop;

        Loop(String name) {
            this.context = FACTORY.create(name);
            this.thread = new Thread(() -> {
                while (!stop) {
                    context.poll(true);
                }
            }, "loop-" + name);
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            context.wakeUp();
            thread.join(TimeUnit.SECONDS.toMillis(5));
            context.close();
        }
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        host.close(); // while the loops still poll: the device's reset waits for them
        for (Loop l : loops) {
            l.stop();
        }
    }

    @Test
    void shouldStartTheDeviceOnlyOnceEveryMappedContextIsThere() {
        Loop io0 = loop("io0");
        host.contextAdded("io0", io0.context);
        assertThat(host.service()).isNull();
        assertThat(host.missingContexts()).containsExactly("io1");

        Loop io1 = loop("io1");
        host.contextAdded("io1", io1.context);

        assertThat(host.service()).isNotNull();
        assertThat(registered.get()).isEqualTo(1);
    }

    @Test
    void shouldStopTheDeviceOnceWhenClosedTwice() {
        host.contextAdded("io0", loop("io0").context);
        host.contextAdded("io1", loop("io1").context);

        host.close();
        host.close();

        assertThat(host.service()).isNull();
        assertThat(unregistered.get()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheDeviceRegisteredAndDetachTheQueuesOfAContextThatGoes() {
        Loop io0 = loop("io0");
        host.contextAdded("io0", io0.context);
        host.contextAdded("io1", loop("io1").context);
        VirtioDevice service = host.service();

        host.contextRemoved("io0", io0.context);

        assertThat(host.service()).isSameAs(service);
        assertThat(unregistered.get()).isZero();
        DeviceSnapshot snapshot = service.snapshot(SNAPSHOT_TIMEOUT);
        assertThat(snapshot.queues()).extracting(q -> q.state())
                .containsExactly(QueueState.DETACHED, QueueState.STOPPED, QueueState.DETACHED, QueueState.STOPPED);
        assertThat(snapshot.queues().get(0).context()).isEqualTo("io0");
    }

    @Test
    void shouldAttachTheWaitingQueuesToAContextOfTheSameNameThatComesBack() {
        Loop io0 = loop("io0");
        host.contextAdded("io0", io0.context);
        host.contextAdded("io1", loop("io1").context);
        VirtioDevice service = host.service();
        host.contextRemoved("io0", io0.context);

        Loop next = loop("io0");
        host.contextAdded("io0", next.context);

        assertThat(host.service()).isSameAs(service);
        assertThat(registered.get()).isEqualTo(1);
        BlkDeviceService blk = (BlkDeviceService) service;
        for (int q = 0; q < 4; q += 2) {
            assertThat(blk.device().queue(q).attachment()).isEqualTo(BlkQueue.Attachment.ATTACHED);
            assertThat(blk.device().queue(q).context()).isSameAs(next.context);
            assertThat(blk.device().queue(q).isFailed()).isFalse();
        }
        assertThat(service.snapshot(SNAPSHOT_TIMEOUT).queues()).extracting(q -> q.state())
                .containsOnly(QueueState.STOPPED);
    }

    @Test
    void shouldMoveTheQueuesToASuccessorThatComesBeforeItsPredecessorGoes() {
        Loop io0 = loop("io0");
        host.contextAdded("io0", io0.context);
        host.contextAdded("io1", loop("io1").context);
        BlkDeviceService blk = (BlkDeviceService) host.service();

        Loop next = loop("io0");
        host.contextAdded("io0", next.context);
        host.contextRemoved("io0", io0.context);

        for (int q = 0; q < 4; q += 2) {
            assertThat(blk.device().queue(q).attachment()).isEqualTo(BlkQueue.Attachment.ATTACHED);
            assertThat(blk.device().queue(q).context()).isSameAs(next.context);
        }
        assertThat(host.missingContexts()).isEmpty();
        assertThat(unregistered.get()).isZero();
    }

    @Test
    void shouldLeaveTheDeviceAloneWhenAContextItDoesNotMapGoes() {
        Loop io0 = loop("io0");
        Loop other = loop("main");
        host.contextAdded("io0", io0.context);
        host.contextAdded("io1", loop("io1").context);
        host.contextAdded("main", other.context);

        host.contextRemoved("main", other.context);

        assertThat(host.service().snapshot(SNAPSHOT_TIMEOUT).queues()).extracting(q -> q.state())
                .containsOnly(QueueState.STOPPED);
    }

    private Loop loop(String name) {
        Loop l = new Loop(name);
        loops.add(l);
        return l;
    }

    /** Registers by counting; the registration counts unregister calls. */
    private BundleContext bundleContext() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        unregistered.incrementAndGet();
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.incrementAndGet();
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
