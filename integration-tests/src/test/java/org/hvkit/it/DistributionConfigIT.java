package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.api.DeviceSnapshot;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.ServiceTracker;

/** The distribution's etc/: FileInstall applies its configurations and watches deploy/. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionConfigIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return HvkitSystem.asLaunched();
    }

    @Test
    public void shouldStartIothread0FromEtc() throws Exception {
        ServiceTracker<AioContext, AioContext> iothread0 =
                Services.track(context, AioContext.class, "(aio.context.name=iothread0)");
        try {
            assertEquals("iothread0", Services.await(iothread0, "iothread0 of etc/").name());
        } finally {
            iothread0.close();
        }
    }

    @Test
    public void shouldStartVblk0FromEtcWithFourQueuesOnIothread0() throws Exception {
        ServiceTracker<VirtioDevice, VirtioDevice> vblk0 =
                Services.track(context, VirtioDevice.class, "(virtio.device.id=vblk0)");
        try {
            DeviceSnapshot snapshot = Services.await(vblk0, "vblk0 of etc/").snapshot(Duration.ofSeconds(2));

            assertEquals(256L << 20, snapshot.capacityBytes());
            assertEquals(4, snapshot.queues().size());
            assertTrue(snapshot.queues().stream().allMatch(q -> "iothread0".equals(q.context())));
        } finally {
            vblk0.close();
        }
    }

    @Test
    public void shouldStartABundleCopiedToDeploy() throws Exception {
        // jline is a bundle that the system does not install: the launcher keeps it on its class path.
        Path jline = onlyJar(HvkitSystem.distributionHome().resolve("lib"), "jline-*.jar");
        CountDownLatch active = new CountDownLatch(1);
        BundleTracker<Bundle> tracker = new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                if ("org.jline".equals(bundle.getSymbolicName())) {
                    active.countDown();
                }
                return null;
            }
        };
        tracker.open();
        try {
            Files.copy(jline, Path.of(context.getProperty("hvkit.home"), "deploy", "jline.jar"));

            // FileInstall polls deploy/ every second.
            assertTrue("org.jline copied to deploy/ was not active after " + Services.TIMEOUT_MS + " ms",
                    active.await(Services.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } finally {
            tracker.close();
        }
    }

    private static Path onlyJar(Path directory, String glob) throws Exception {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, glob)) {
            var iterator = jars.iterator();
            assertTrue("no " + glob + " in " + directory, iterator.hasNext());
            return iterator.next();
        }
    }
}
