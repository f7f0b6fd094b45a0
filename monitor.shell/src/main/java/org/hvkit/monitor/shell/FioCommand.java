package org.hvkit.monitor.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.workload.WorkloadResult;
import org.hvkit.block.virtio.workload.WorkloadSpec;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code virtio:fio <dev> [options]}: runs the fio-like workload as the device's in-process
 * guest, with a progress line about once per second, then prints fio's kind of summary.
 *
 * <p>Gogo matches the typed words against the {@code @Parameter} form (which is what
 * {@code help virtio:fio} shows); whatever it cannot match (no device, an unknown option, an
 * option without its value, fio's {@code --rw=randread}) arrives at the {@code Object...}
 * form. Both hand the words to one parser, so the result does not depend on which form Gogo
 * picked.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; the workload runs in
 * that thread, one at a time per device (a second gets one line saying the device is busy).
 */
@Component(service = FioCommand.class)
@GogoCommand(scope = "virtio", function = "fio")
public final class FioCommand {

    private static final String NAME = "virtio:fio: ";

    @Reference
    private DeviceRegistry devices;

    /**
     * Runs a workload.
     *
     * @return the summary or the JSON, or one line saying what is wrong
     */
    @Descriptor("run an fio-like workload as the device's guest and print IOPS, MB/s and latency percentiles;"
            + " a progress line shows while it runs (not while it runs in the background)")
    public String fio(
            @Descriptor("read, write, randread, randwrite or randrw")
            @Parameter(names = FioArgs.RW, absentValue = FioArgs.DEFAULT_RW) String rw,
            @Descriptor("block size: a multiple of 512 up to 1m, e.g. 4k")
            @Parameter(names = FioArgs.BS, absentValue = FioArgs.DEFAULT_BS) String bs,
            @Descriptor("requests in flight per queue, at most the queue size")
            @Parameter(names = FioArgs.IODEPTH, absentValue = FioArgs.DEFAULT_IODEPTH) String iodepth,
            @Descriptor("device queues used, one request stream each")
            @Parameter(names = FioArgs.QUEUES, absentValue = FioArgs.DEFAULT_QUEUES) String queues,
            @Descriptor("how long to run: 10, 10s, 500ms, 2m (0 with --number_ios for no time limit)")
            @Parameter(names = FioArgs.RUNTIME, absentValue = FioArgs.DEFAULT_RUNTIME) String runtime,
            @Descriptor("stop after this many I/Os over all queues (0: no limit)")
            @Parameter(names = FioArgs.NUMBER_IOS, absentValue = FioArgs.DEFAULT_NUMBER_IOS) String numberIos,
            @Descriptor("percent of reads in randrw")
            @Parameter(names = FioArgs.RWMIXREAD, absentValue = FioArgs.DEFAULT_RWMIXREAD) String rwmixread,
            @Descriptor("seed of the random offsets and of the randrw read/write choice")
            @Parameter(names = {FioArgs.SEED, FioArgs.RANDSEED}, absentValue = FioArgs.DEFAULT_SEED) String seed,
            @Descriptor("write checkable data and check every read (writes are read back at the end)")
            @Parameter(names = FioArgs.VERIFY, presentValue = "true", absentValue = "false") boolean verify,
            @Descriptor("print the workload and its result as JSON instead of the summary")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the device id, as virtio:devices lists it") String device) {
        // Back to words, so a value Gogo took for an option ("--rw --json") is caught by the parser.
        List<Object> words = new ArrayList<>(List.of(device, FioArgs.RW, rw, FioArgs.BS, bs, FioArgs.IODEPTH,
                iodepth, FioArgs.QUEUES, queues, FioArgs.RUNTIME, runtime, FioArgs.NUMBER_IOS, numberIos,
                FioArgs.RWMIXREAD, rwmixread, FioArgs.SEED, seed));
        if (verify) {
            words.add(FioArgs.VERIFY);
        }
        if (json) {
            words.add("--json");
        }
        return run(words);
    }

    /**
     * Any other arguments: Gogo calls this when they do not fit the form with options.
     *
     * @param arguments the words as typed
     * @return what the other form returns, or one line saying what is wrong
     */
    @Descriptor("(other arguments, e.g. fio's --rw=randread: parsed alike, or says what is wrong)")
    public String fio(@Descriptor("the arguments as typed") Object... arguments) {
        return run(Arrays.asList(arguments));
    }

    private static String render(FioArgs args, FioRun run) {
        return args.json() ? Json.render(run) : FioReport.render(run);
    }

    private String run(List<?> words) {
        GogoConsole console = GogoConsole.current();
        // Seen now if the job was started with '&': Gogo will drop its result.
        console.inBackground();
        FioArgs args;
        WorkloadSpec spec;
        VirtioDevice device;
        try {
            args = FioArgs.parse(words, devices.choices());
            spec = args.spec();
            device = devices.withId(args.device());
        } catch (IllegalArgumentException e) {
            return console.deliver(NAME + e.getMessage() + System.lineSeparator());
        }
        // JSON is for programs: a progress line would spoil what they parse.
        ProgressPrinter printer = new ProgressPrinter(new ProgressLine(spec), console.out(), console.terminal(),
                () -> !args.json() && !console.inBackground());
        String report;
        try {
            WorkloadResult result = device.runWorkload(spec, new StopOnInterrupt(printer));
            report = render(args, FioRun.of(device.id(), spec, result));
        } catch (StopOnInterrupt.Stopped e) {
            // Ctrl-C: the interrupt has done its work. Clear it before writing: Gogo's session
            // streams are interruptible channels, and a write from an interrupted thread closes
            // the terminal's channel for the whole shell (no output ever again).
            Thread.interrupted();
            printer.finish();
            // Gogo gave up waiting for this job when it interrupted it: its result would be lost.
            console.out().print(NAME + device.id() + ": interrupted; the totals up to then:"
                    + System.lineSeparator() + render(args, FioRun.of(device.id(), spec, e.soFar())));
            console.out().flush();
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            report = NAME + e.getMessage() + System.lineSeparator();
        } finally {
            printer.finish();
        }
        return console.deliver(report);
    }
}
