package org.hvkit.it;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.api.VirtioDevice;
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

/**
 * Bad input at the system's boundaries, one table per boundary: each bad device or IOThread
 * configuration fails activation with one sentence naming what is wrong and leaves no
 * service behind; each bad shell argument gets exactly one line. Every case prints
 * {@code BadInputIT: <input> -> <what it got>}, the list the project reports.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadInputIT {

    private static final String DEVICE_PID = "org.hvkit.block.virtio.blk";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private CommandProcessor commandProcessor;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Test
    public void shouldRefuseEachBadDeviceConfigurationWithOneSentenceAndNoDevice() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, "iothread0");
        List<String> failures = new ArrayList<>();
        record Case(String input, String expected, Object... properties) {
        }
        List<Case> cases = List.of(
                new Case("num.queues=-1", "num.queues must be 1 to", "num.queues", -1),
                new Case("num.queues=0", "num.queues must be 1 to", "num.queues", 0),
                new Case("queue.size=100", "queue.size must be a power of two", "queue.size", 100),
                new Case("queue.size=-8", "queue.size must be a power of two", "queue.size", -8),
                new Case("capacity=-1M", "is not a size", "capacity", "-1M"),
                new Case("capacity=1000 (not sectors)", "capacity must be a positive multiple of 512",
                        "capacity", "1000"),
                new Case("backend=ram without capacity", "the ram backend needs a capacity", "capacity", ""),
                new Case("backend=tape", "tape", "backend", "tape"),
                new Case("backend=file without path", "the file backend needs a path", "backend", "file"),
                new Case("backend=file, missing image", "no such file: /nonexistent/hvkit/bad.img",
                        "backend", "file", "path", "/nonexistent/hvkit/bad.img"),
                new Case("iothread.vq.mapping=nosuch", "names 'nosuch', which is no IOThread",
                        "iothread.vq.mapping", "nosuch"),
                new Case("iothread.vq.mapping=iothread0,iothread0", "iothread0",
                        "iothread.vq.mapping", "iothread0,iothread0"),
                new Case("serial of 21 bytes", "serial must be at most 20 bytes", "serial", "123456789012345678901"),
                new Case("drain.timeout.ms=-5", "drain.timeout.ms must be 1 to", "drain.timeout.ms", -5),
                new Case("transport=vhost-user without socket", "transport=vhost-user needs a socket path",
                        "transport", "vhost-user"),
                new Case("transport=carrier-pigeon", "carrier-pigeon", "transport", "carrier-pigeon"));
        int n = 0;
        for (Case c : cases) {
            String id = "it-bad" + n++;
            // A RAM disk unless the case says otherwise, so that each case has one fault.
            Dictionary<String, Object> properties = Dictionaries.of("id", id, "backend", "ram", "capacity", "16M");
            for (int i = 0; i < c.properties().length; i += 2) {
                properties.put((String) c.properties()[i], c.properties()[i + 1]);
            }
            var configuration = configurationAdmin.getFactoryConfiguration(DEVICE_PID, id, "?");
            configuration.update(properties);
            try {
                String failure = ActivationFailures.ofDevice(scr, context, id);
                String sentence = ActivationFailures.rootMessage(failure);
                System.out.println("BadInputIT: device " + c.input() + " -> " + sentence);
                if (!sentence.contains("virtio-blk '" + id + "'") && !sentence.contains(id)) {
                    failures.add(c.input() + ": the message does not name the device: " + sentence);
                }
                if (!sentence.contains(c.expected())) {
                    failures.add(c.input() + ": expected '" + c.expected() + "' in: " + sentence);
                }
                if (!context.getServiceReferences(VirtioDevice.class, "(" + VirtioDevice.ID + "=" + id + ")")
                        .isEmpty()) {
                    failures.add(c.input() + ": a device service was registered");
                }
            } finally {
                configuration.delete();
            }
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }

    @Test
    public void shouldRefuseEachBadIoThreadConfigurationWithOneSentenceAndNoContext() throws Exception {
        List<String> failures = new ArrayList<>();
        record Case(String input, String expected, Object... properties) {
        }
        List<Case> cases = List.of(
                new Case("name=\"\"", "needs a non-empty 'name'", "name", ""),
                new Case("name=main", "'main' is reserved", "name", "main"),
                new Case("scheduler=fifo", "unknown scheduler 'fifo'", "name", "it-badio", "scheduler", "fifo"),
                new Case("aio.max.batch=-1", "aio.max.batch must be 0 or more", "name", "it-badio",
                        "aio.max.batch", -1L),
                new Case("poll.max.ns=-1", "it-badio", "name", "it-badio", "poll.max.ns", -1L));
        long ioThreads = IoThreads.count();
        int n = 0;
        for (Case c : cases) {
            String alias = "it-badio" + n++;
            var configuration = configurationAdmin.getFactoryConfiguration(Configurations.IOTHREAD_PID, alias, "?");
            configuration.update(Dictionaries.of(c.properties()));
            try {
                String failure = ActivationFailures.await(scr, Bundles.installed(context, "org.hvkit.aio.impl"),
                        ActivationFailures.IOTHREAD_COMPONENT,
                        "service.pid", configuration.getPid());
                String sentence = ActivationFailures.rootMessage(failure);
                System.out.println("BadInputIT: iothread " + c.input() + " -> " + sentence);
                if (!sentence.contains(c.expected())) {
                    failures.add(c.input() + ": expected '" + c.expected() + "' in: " + sentence);
                }
                if (!context.getServiceReferences(AioContext.class, "(aio.context.name=it-badio)").isEmpty()) {
                    failures.add(c.input() + ": a context was registered");
                }
                if (IoThreads.count() != ioThreads) {
                    failures.add(c.input() + ": an IOThread was left running: " + IoThreads.names());
                }
            } finally {
                configuration.delete();
            }
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }

    @Test
    public void shouldAnswerEachBadShellArgumentWithOneLine() throws Exception {
        Configurations.ensureIoThread(configurationAdmin, "iothread0");
        Dictionary<String, Object> device = Dictionaries.of("id", "it-badsh");
        device.put("backend", "ram");
        device.put("capacity", "16M");
        device.put("num.queues", 2);
        configurationAdmin.getFactoryConfiguration(DEVICE_PID, "it-badsh", "?").update(device);
        Services.await(Services.track(context, VirtioDevice.class, "(" + VirtioDevice.ID + "=it-badsh)"), "it-badsh");
        Gogo gogo = new Gogo(commandProcessor);
        List<String> commands = List.of(
                "aio:bh nosuch",
                "aio:timers nosuch",
                "aio:stats nosuch",
                "aio:watch nosuch",
                "aio:watch iothread0 0s",
                "aio:watch iothread0 1s -3",
                "aio:scheduler nosuch linear",
                "aio:scheduler iothread0 fifo",
                "aio:scheduler main linear",
                "aio:iothread add main",
                "aio:iothread add iothread0",
                "aio:iothread remove nosuch",
                "aio:iothread set nosuch poll.max.ns=0",
                "aio:iothread set iothread0 poll.max.ns=-1",
                "aio:iothread frobnicate x",
                "virtio:queues nosuch",
                "virtio:reset nosuch",
                "virtio:fio nosuch",
                "virtio:fio it-badsh --bs 3",
                "virtio:fio it-badsh --bs 1G",
                "virtio:fio it-badsh --iodepth 0",
                "virtio:fio it-badsh --iodepth 100000",
                "virtio:fio it-badsh --queues 3",
                "virtio:fio it-badsh --rw sideways",
                "virtio:fio it-badsh --runtime -1s",
                "virtio:fio it-badsh --runtime forever",
                "virtio:fio it-badsh --frobnicate");
        List<String> failures = new ArrayList<>();
        for (String command : commands) {
            String output = gogo.run(command);
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            System.out.println("BadInputIT: shell " + command + " -> " + String.join(" | ", lines));
            if (lines.size() != 1) {
                failures.add(command + ": " + lines.size() + " lines: " + output);
            } else if (lines.get(0).contains("Exception") || lines.get(0).startsWith("\tat ")) {
                failures.add(command + ": a stack trace or exception name: " + lines.get(0));
            }
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }
}
