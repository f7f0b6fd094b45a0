package org.hvkit.monitor.shell;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hvkit.block.virtio.workload.ReadWriteMode;
import org.hvkit.block.virtio.workload.WorkloadSpec;

/**
 * The arguments of {@code virtio:fio} as typed, with fio's defaults for those not given, and
 * the workload they describe. Every bad value becomes one sentence naming its option.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param device the device id
 * @param rw fio's rw: read, write, randread, randwrite or randrw
 * @param bs the block size, e.g. 4k
 * @param iodepth requests in flight per queue
 * @param queues the device queues used
 * @param runtime how long to run, e.g. 10s
 * @param numberIos how many I/Os to run at most, 0 for no limit
 * @param rwmixread the share of reads in randrw, in percent
 * @param seed the random seed
 * @param verify true to check what is read back
 * @param json true for JSON output
 */
record FioArgs(String device, String rw, String bs, String iodepth, String queues, String runtime,
        String numberIos, String rwmixread, String seed, boolean verify, boolean json) {

    static final String RW = "--rw";
    static final String BS = "--bs";
    static final String IODEPTH = "--iodepth";
    static final String QUEUES = "--queues";
    static final String RUNTIME = "--runtime";
    static final String NUMBER_IOS = "--number_ios";
    static final String RWMIXREAD = "--rwmixread";
    static final String SEED = "--seed";
    static final String RANDSEED = "--randseed";
    static final String VERIFY = "--verify";

    static final Set<String> FLAGS = Set.of(VERIFY, "-j", "--json");
    static final Set<String> OPTIONS = Set.of(RW, BS, IODEPTH, QUEUES, RUNTIME, NUMBER_IOS, RWMIXREAD, SEED,
            RANDSEED);

    /** fio's defaults where they make sense for a shell, randread as the safe mode. */
    static final String DEFAULT_RW = "randread";
    static final String DEFAULT_BS = "4k";
    static final String DEFAULT_IODEPTH = "1";
    static final String DEFAULT_QUEUES = "1";
    static final String DEFAULT_RUNTIME = "10s";
    static final String DEFAULT_NUMBER_IOS = "0";
    static final String DEFAULT_RWMIXREAD = "50";
    static final String DEFAULT_SEED = "1";

    /**
     * Parses the words after {@code virtio:fio}.
     *
     * @param devices the devices there are, as the end of a sentence, for a missing device
     * @throws IllegalArgumentException naming an unknown option, a missing value or device
     */
    static FioArgs parse(List<?> arguments, String devices) {
        CommandLine line = CommandLine.parse(arguments, FLAGS, OPTIONS);
        return new FioArgs(line.single("device", devices), line.option(DEFAULT_RW, RW),
                line.option(DEFAULT_BS, BS), line.option(DEFAULT_IODEPTH, IODEPTH),
                line.option(DEFAULT_QUEUES, QUEUES), line.option(DEFAULT_RUNTIME, RUNTIME),
                line.option(DEFAULT_NUMBER_IOS, NUMBER_IOS), line.option(DEFAULT_RWMIXREAD, RWMIXREAD),
                line.option(DEFAULT_SEED, SEED, RANDSEED), line.flag(VERIFY), line.flag("-j", "--json"));
    }

    /**
     * The workload these arguments describe.
     *
     * @throws IllegalArgumentException naming the first bad option and its value
     */
    WorkloadSpec spec() {
        ReadWriteMode mode = ReadWriteMode.parse(rw);
        int blockSize = (int) Args.size(BS, bs, WorkloadSpec.MAX_BLOCK_SIZE);
        int depth = Args.intIn(IODEPTH, iodepth, 1, WorkloadSpec.MAX_IO_DEPTH);
        // virtio's num_queues is 16 bits; the device says if it has fewer.
        int queueCount = Args.intIn(QUEUES, queues, 1, 0xffff);
        Duration time = Args.duration(RUNTIME, runtime);
        long count = Args.longIn(NUMBER_IOS, numberIos, 0, Long.MAX_VALUE);
        int readPercent = Args.intIn(RWMIXREAD, rwmixread, 0, 100);
        long randomSeed = Args.longIn(SEED, seed, Long.MIN_VALUE, Long.MAX_VALUE);
        try {
            return new WorkloadSpec(mode, blockSize, depth, queueCount, time, count, verify, readPercent,
                    randomSeed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(asOptions(e.getMessage()), e);
        }
    }

    /** WorkloadSpec names its fields; the user typed options. */
    private static String asOptions(String message) {
        return message.replace("blockSize", BS).replace("ioDepth", IODEPTH).replace("ioCount", NUMBER_IOS)
                .replace("readPercent", RWMIXREAD).replace("runtime", RUNTIME).replace("queues", QUEUES);
    }
}
