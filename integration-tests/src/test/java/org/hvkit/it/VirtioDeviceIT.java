package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.QueueSnapshot;
import org.hvkit.block.virtio.api.QueueState;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;

/** virtio-blk devices are factory configurations; each one is a VirtioDevice service (DESIGN §4). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VirtioDeviceIT {

    private static final String DEVICE_PID = "org.hvkit.block.virtio.blk";
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureIothreads() throws Exception {
        for (String name : List.of("iothread0", "iothread1")) {
            Configurations.ensureIoThread(configurationAdmin, name);
        }
    }

    @Test
    public void shouldCreateADeviceFromConfigurationWithItsQueuesRoundRobin() throws Exception {
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-rr", "?");
        Dictionary<String, Object> properties = Dictionaries.of("id", "it-rr");
        properties.put("num.queues", 4);
        properties.put("capacity", "16M");
        properties.put("iothread.vq.mapping", new String[] {"iothread0", "iothread1"});
        ServiceTracker<VirtioDevice, VirtioDevice> device = trackDevice("it-rr");
        try {
            configuration.update(properties);

            DeviceSnapshot snapshot = Services.await(device, "it-rr").snapshot(SNAPSHOT_TIMEOUT);

            assertEquals("virtio-blk", snapshot.type());
            assertEquals(16L << 20, snapshot.capacityBytes());
            assertEquals("ram", snapshot.backend());
            assertEquals(0, snapshot.status());
            assertEquals(List.of("iothread0", "iothread1", "iothread0", "iothread1"),
                    snapshot.queues().stream().map(QueueSnapshot::context).collect(Collectors.toList()));
            assertTrue(snapshot.queues().stream().allMatch(q -> q.state() == QueueState.STOPPED));
            Services.awaitUnregistered(context, device.getServiceReference(), "it-rr", configuration::delete);
        } finally {
            device.close();
        }
    }

    @Test
    public void shouldRunAVerifyWorkloadOnAFileBackedDeviceFromConfiguration() throws Exception {
        Path image = HvkitSystem.workDirectory("image-").resolve("disk.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(32L << 20);
        }
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-verify", "?");
        Dictionary<String, Object> properties = Dictionaries.of("id", "it-verify");
        properties.put("num.queues", 8);
        properties.put("backend", "file");
        properties.put("path", image.toString());
        properties.put("iothread.vq.mapping", "iothread0,iothread1");
        ServiceTracker<VirtioDevice, VirtioDevice> device = trackDevice("it-verify");
        try {
            configuration.update(properties);
            VirtioDevice vblk = Services.await(device, "it-verify");

            WorkloadResult written = vblk.runWorkload(
                    WorkloadSpec.of(ReadWriteMode.RANDWRITE, 4096, 8, 8, Duration.ofSeconds(30))
                            .withIoCount(4_000).withVerify(true), soFar -> { });
            WorkloadResult mixed = vblk.runWorkload(
                    WorkloadSpec.of(ReadWriteMode.RANDRW, 4096, 8, 8, Duration.ofSeconds(30))
                            .withIoCount(4_000).withVerify(true).withSeed(7), soFar -> { });

            assertEquals(0, written.errors());
            assertEquals(0, written.mismatches());
            assertTrue(written.toString(), written.writes() >= 4_000 && written.reads() >= written.writes() / 2);
            assertEquals(0, mixed.errors());
            assertEquals(0, mixed.mismatches());
            assertTrue(mixed.toString(), mixed.reads() > 0 && mixed.writes() > 0);
            DeviceSnapshot after = vblk.snapshot(SNAPSHOT_TIMEOUT);
            assertEquals(0, after.status());
            assertTrue(after.queues().stream().allMatch(q -> q.requests() > 0));
            Services.awaitUnregistered(context, device.getServiceReference(), "it-verify", configuration::delete);
        } finally {
            device.close();
        }
    }

    @Test
    public void shouldKeepTheDeviceAcrossItsIoThreadGoingAndComingBack() throws Exception {
        var iothread = configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, "it-late", "?");
        iothread.update(Dictionaries.of("name", "it-late"));
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-follow", "?");
        Dictionary<String, Object> properties = Dictionaries.of("id", "it-follow");
        properties.put("backend", "null");
        properties.put("iothread.vq.mapping", "it-late");
        ServiceTracker<VirtioDevice, VirtioDevice> device = trackDevice("it-follow");
        try {
            configuration.update(properties);
            VirtioDevice vblk = Services.await(device, "it-follow on it-late");
            var registered = device.getServiceReference();

            iothread.delete();
            awaitQueueState(vblk, QueueState.DETACHED, "it-follow detached from it-late");
            iothread = configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, "it-late", "?");
            iothread.update(Dictionaries.of("name", "it-late"));
            QueueSnapshot back = awaitQueueState(vblk, QueueState.STOPPED, "it-follow back on it-late");

            assertEquals("it-late", back.context());
            assertEquals(registered, device.getServiceReference());
        } finally {
            device.close();
            configuration.delete();
            iothread.delete();
        }
    }

    /** Waits until queue 0 of the device is in {@code state}, at most {@link Services#TIMEOUT_MS}. */
    private static QueueSnapshot awaitQueueState(VirtioDevice device, QueueState state, String what)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + Services.TIMEOUT_MS;
        QueueSnapshot queue = device.snapshot(SNAPSHOT_TIMEOUT).queues().get(0);
        while (queue.state() != state && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            queue = device.snapshot(SNAPSHOT_TIMEOUT).queues().get(0);
        }
        assertEquals(what, state, queue.state());
        return queue;
    }

    @Test
    public void shouldFailWithAClearErrorForAnUnknownIoThread() throws Exception {
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-typo", "?");
        Dictionary<String, Object> properties = Dictionaries.of("id", "it-typo");
        properties.put("backend", "null");
        properties.put("iothread.vq.mapping", "iothraed0");
        try {
            configuration.update(properties);

            String failure = ActivationFailures.ofDevice(scr, context, "it-typo");
            assertTrue(failure, failure.contains(
                    "virtio-blk 'it-typo': iothread.vq.mapping names 'iothraed0', which is no IOThread"));
            assertNull(context.getServiceReferences(VirtioDevice.class, "(virtio.device.id=it-typo)")
                    .stream().findAny().orElse(null));
        } finally {
            configuration.delete();
        }
    }

    @Test
    public void shouldFailWithAClearErrorForAMissingImageFile() throws Exception {
        var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-nofile", "?");
        Dictionary<String, Object> properties = Dictionaries.of("id", "it-nofile");
        properties.put("backend", "file");
        properties.put("path", "/nonexistent/hvkit/disk.img");
        try {
            configuration.update(properties);

            String failure = ActivationFailures.ofDevice(scr, context, "it-nofile");
            assertTrue(failure, failure.contains("virtio-blk 'it-nofile': no such file: /nonexistent/hvkit/disk.img"));
        } finally {
            configuration.delete();
        }
    }

    private ServiceTracker<VirtioDevice, VirtioDevice> trackDevice(String id) throws Exception {
        return Services.track(context, VirtioDevice.class, "(virtio.device.id=" + id + ")");
    }
}
