package org.hvkit.block.virtio.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * What a workload runs, after fio's options: {@code rw}, {@code bs}, {@code iodepth} (per
 * queue), the number of queues used (one request stream per queue, like fio's
 * {@code numjobs}), {@code runtime} and {@code number_ios} (the run stops at whichever comes
 * first; zero means no limit of that kind, and at least one limit is needed),
 * {@code verify}, {@code rwmixread} (RANDRW only) and {@code randseed}.
 *
 * <p>Thread-safety: immutable; any thread.
 *
 * @param rw the access pattern
 * @param blockSize bytes per request, a multiple of 512 from 512 to 1 MiB
 * @param ioDepth requests kept in flight per queue, 1 to 1024
 * @param queues the device queues used, at least 1
 * @param runtime how long to submit requests; zero for no time limit
 * @param ioCount how many requests to submit over all queues; zero for no count limit
 * @param verify true to write checkable data and check what is read back
 * @param readPercent the share of reads in RANDRW, 0 to 100
 * @param seed the seed of random offsets and of the RANDRW read/write choice
 */
public record WorkloadSpec(ReadWriteMode rw, int blockSize, int ioDepth, int queues, Duration runtime, long ioCount,
        boolean verify, int readPercent, long seed) {

    /** The largest block size, as bytes. */
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    /** The deepest queue depth. */
    public static final int MAX_IO_DEPTH = 1024;

    /** Validates every field; each failure is one sentence naming the field and the value. */
    public WorkloadSpec {
        Objects.requireNonNull(rw, "rw");
        Objects.requireNonNull(runtime, "runtime");
        if (blockSize < 512 || blockSize > MAX_BLOCK_SIZE || blockSize % 512 != 0) {
            throw new IllegalArgumentException(
                    "blockSize must be a multiple of 512 from 512 to " + MAX_BLOCK_SIZE + ", not " + blockSize);
        }
        if (ioDepth < 1 || ioDepth > MAX_IO_DEPTH) {
            throw new IllegalArgumentException("ioDepth must be from 1 to " + MAX_IO_DEPTH + ", not " + ioDepth);
        }
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, not " + queues);
        }
        if (runtime.isNegative()) {
            throw new IllegalArgumentException("runtime must not be negative, not " + runtime);
        }
        if (ioCount < 0) {
            throw new IllegalArgumentException("ioCount must not be negative, not " + ioCount);
        }
        if (runtime.isZero() && ioCount == 0) {
            throw new IllegalArgumentException("a workload needs a runtime or an ioCount greater than zero");
        }
        if (readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("readPercent must be from 0 to 100, not " + readPercent);
        }
    }

    /**
     * A workload without verify, with no I/O count limit, half reads in RANDRW and seed 1.
     *
     * @param rw the access pattern
     * @param blockSize bytes per request
     * @param ioDepth requests in flight per queue
     * @param queues the device queues used
     * @param runtime how long to submit requests, more than zero
     * @return the specification
     */
    public static WorkloadSpec of(ReadWriteMode rw, int blockSize, int ioDepth, int queues, Duration runtime) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, runtime, 0, false, 50, 1);
    }

    /** This specification with verify on or off. */
    public WorkloadSpec withVerify(boolean newVerify) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, runtime, ioCount, newVerify, readPercent, seed);
    }

    /** This specification with another I/O count limit (0 for none). */
    public WorkloadSpec withIoCount(long newIoCount) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, runtime, newIoCount, verify, readPercent, seed);
    }

    /** This specification with another RANDRW read share. */
    public WorkloadSpec withReadPercent(int newReadPercent) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, runtime, ioCount, verify, newReadPercent, seed);
    }

    /** This specification with another random seed. */
    public WorkloadSpec withSeed(long newSeed) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, runtime, ioCount, verify, readPercent, newSeed);
    }

    /** This specification with another runtime (zero for no time limit). */
    public WorkloadSpec withRuntime(Duration newRuntime) {
        return new WorkloadSpec(rw, blockSize, ioDepth, queues, newRuntime, ioCount, verify, readPercent, seed);
    }
}
