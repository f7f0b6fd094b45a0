package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.block.virtio.api.VirtioDevice;
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

/** The virtio: commands run through Gogo against a device made from configuration (DESIGN §5). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VirtioShellIT {

    private static final String DEVICE = "it-shell";
    private static final String IOTHREAD = "it-shell-io";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor commandProcessor;

    private Gogo gogo;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Before
    public void configureTheDevice() throws Exception {
        gogo = new Gogo(commandProcessor);
        Configurations.ensureIoThread(configurationAdmin, IOTHREAD);
        var device = configurationAdmin.getFactoryConfiguration("org.hvkit.block.virtio.blk", DEVICE, "?");
        if (device.getProperties() == null) {
            Dictionary<String, Object> properties = Dictionaries.of("id", DEVICE);
            properties.put("num.queues", 2);
            properties.put("backend", "ram");
            properties.put("capacity", "64M");
            properties.put("iothread.vq.mapping", IOTHREAD);
            device.update(properties);
        }
        ServiceTracker<VirtioDevice, VirtioDevice> tracker =
                Services.track(context, VirtioDevice.class, "(virtio.device.id=" + DEVICE + ")");
        try {
            Services.await(tracker, DEVICE);
        } finally {
            tracker.close();
        }
        awaitOutput("virtio:devices", DEVICE + " ");
    }

    @Test
    public void shouldListTheDeviceWithItsStatusCapacityBackendAndQueues() throws Exception {
        String devices = gogo.run("virtio:devices");

        String row = devices.lines().filter(line -> line.startsWith(DEVICE + " ")).findFirst().orElse("");
        assertEquals(devices, List.of(DEVICE, "virtio-blk", "0", "64M", "ram", "no", "2", "0", "0", "0", "0"),
                List.of(row.trim().split("\\s+")));
        assertTrue(devices, devices.startsWith("ID "));
        String json = gogo.run("virtio:devices --json");
        assertTrue(json, json.contains("\"id\": \"" + DEVICE + "\"") && json.contains("\"capacityBytes\": 67108864"));
    }

    @Test
    public void shouldShowEachQueueWithItsContext() throws Exception {
        List<String> lines = gogo.run("virtio:queues " + DEVICE).lines().toList();

        assertEquals(lines.toString(), DEVICE + "  virtio-blk  status 0", lines.get(0));
        assertTrue(lines.toString(), lines.get(1).trim().startsWith("Q  CONTEXT"));
        for (int q = 0; q < 2; q++) {
            List<String> cells = List.of(lines.get(2 + q).trim().split("\\s+"));
            assertEquals(lines.toString(), List.of(Integer.toString(q), IOTHREAD, "STOPPED"), cells.subList(0, 3));
        }
    }

    @Test
    public void shouldRunAVerifyingMixedWorkloadWithProgressAndASummary() throws Exception {
        String out = gogo.run("virtio:fio " + DEVICE
                + " --rw randrw --bs 4k --iodepth 8 --queues 2 --runtime 2s --verify");

        assertTrue(out, out.contains(DEVICE + ": (rw=randrw, bs=4k, iodepth=8, queues=2, runtime=2s, verify=on"));
        assertTrue(out, out.contains("  verify: mismatches=0, errors=0"));
        assertTrue(out, out.lines().anyMatch(line -> line.matches("\\[r=\\S+ IOPS, w=\\S+ IOPS]\\[.* MB/s]\\[eta .*]")));
        Matcher ios = Pattern.compile("ios: read=(\\d+), write=(\\d+)").matcher(out);
        assertTrue(out, ios.find() && Long.parseLong(ios.group(1)) > 0 && Long.parseLong(ios.group(2)) > 0);
        assertTrue(out, out.contains("lat (usec): p50="));
    }

    @Test
    public void shouldTakeFioStyleEqualsOptionsAndPrintJsonWithoutProgress() throws Exception {
        String out = gogo.run("virtio:fio " + DEVICE + " --rw=read --number_ios=256 --runtime=0 --json");

        assertTrue(out, out.contains("\"device\": \"" + DEVICE + "\""));
        assertTrue(out, out.contains("\"ioCount\": 256") && out.contains("\"reads\": 256"));
        assertFalse(out, out.contains("[r="));
    }

    @Test
    public void shouldResetARunningDeviceAndRefuseASecondWorkloadMeanwhile() throws Exception {
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> run(
                "virtio:fio " + DEVICE + " --rw randread --iodepth 4 --queues 2 --runtime 2s"));
        awaitOutput("virtio:queues " + DEVICE, "RUNNING");

        String busy = gogo.run("virtio:fio " + DEVICE + " --runtime 1s");
        String reset = gogo.run("virtio:reset " + DEVICE);

        assertOneLine(busy, "virtio:fio: " + DEVICE + " is already running a workload");
        assertOneLine(reset, DEVICE + ": reset, status ACK|DRIVER|FEATURES_OK|DRIVER_OK -> 0");
        // The guest's requests after the reset never complete: the run ends with errors, not a hang.
        String summary = first.get(20, TimeUnit.SECONDS);
        assertTrue(summary, summary.contains("verify: off, errors=") && !summary.contains("errors=0"));
        assertTrue(gogo.run("virtio:queues " + DEVICE), gogo.run("virtio:queues " + DEVICE).contains("status 0"));
    }

    @Test
    public void shouldResetAnIdleDeviceInOneLine() throws Exception {
        assertOneLine(gogo.run("virtio:reset " + DEVICE), DEVICE + ": reset, status 0 -> 0");
    }

    @Test
    public void shouldAnswerEveryBadArgumentWithOneLine() throws Exception {
        String devices = "devices: " + DEVICE;
        assertOneLine(gogo.run("virtio:queues nosuch"), "virtio:queues: no device 'nosuch'; " + devices);
        assertOneLine(gogo.run("virtio:reset nosuch"), "virtio:reset: no device 'nosuch'; " + devices);
        assertOneLine(gogo.run("virtio:fio nosuch"), "virtio:fio: no device 'nosuch'; " + devices);
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --rw randomread"),
                "virtio:fio: unknown rw mode 'randomread': use read, write, randread, randwrite or randrw");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --bs 4q"),
                "virtio:fio: --bs must be a size such as 4096, 4k or 1m, not '4q'");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --bs 1000"),
                "virtio:fio: --bs must be a multiple of 512 from 512 to 1048576, not 1000");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --iodepth 0"),
                "virtio:fio: --iodepth must be from 1 to 1024, not 0");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --iodepth 512"),
                "virtio:fio: " + DEVICE + "'s queues hold 256 requests, the workload asks for an iodepth of 512");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --queues 3"),
                "virtio:fio: " + DEVICE + " has 2 queues, the workload asks for 3");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --runtime 10x"),
                "virtio:fio: --runtime must be a duration such as 10, 10s, 500ms or 2m, not '10x'");
        assertOneLine(gogo.run("virtio:fio"), "virtio:fio: missing device; " + devices);
        assertOneLine(gogo.run("virtio:fio --rw read"), "virtio:fio: missing device; " + devices);
        assertOneLine(gogo.run("virtio:queues"), "virtio:queues: missing device; " + devices);
        assertOneLine(gogo.run("virtio:reset"), "virtio:reset: missing device; " + devices);
        assertOneLine(gogo.run("virtio:reset a b"), "virtio:reset: one device only, not a b");
        assertOneLine(gogo.run("virtio:fio " + DEVICE + " --rw"), "virtio:fio: --rw needs a value");
        assertTrue(gogo.run("virtio:fio " + DEVICE + " --direct 1").startsWith(
                "virtio:fio: unknown option '--direct'; options: "));
        assertOneLine(gogo.run("virtio:devices --all"), "virtio:devices: unknown option '--all'; options: --json -j");
        assertOneLine(gogo.run("virtio:devices " + DEVICE), "virtio:devices: takes no arguments but --json, not "
                + DEVICE);
        assertOneLine(gogo.run("virtio:queues " + DEVICE + " --all"),
                "virtio:queues: unknown option '--all'; options: --json -j");
    }

    private static void assertOneLine(String output, String expected) {
        assertEquals(expected, Gogo.onlyLine("the command", output));
    }

    /** Runs the command until its output contains {@code text}, at most {@link Services#TIMEOUT_MS}. */
    private void awaitOutput(String command, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Services.TIMEOUT_MS);
        String output = gogo.run(command);
        while (!output.contains(text)) {
            assertTrue(command + " did not show '" + text + "' within " + Services.TIMEOUT_MS + " ms:\n" + output,
                    System.nanoTime() < deadline);
            Thread.sleep(20);
            output = gogo.run(command);
        }
    }

    private String run(String command) {
        try {
            return gogo.run(command);
        } catch (Exception e) {
            throw new IllegalStateException(command, e);
        }
    }
}
