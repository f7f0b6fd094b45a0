package org.hvkit.block.virtio.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One virtio-blk device, as QEMU's {@code -device virtio-blk-pci}. Factory PID {@value #PID}.
 */
@ObjectClassDefinition(
        name = "hvkit virtio-blk device",
        description = "A multi-queue virtio-blk device whose queues run on named IOThreads.")
@interface VirtioBlkConfiguration {

    /** The factory PID. */
    String PID = "org.hvkit.block.virtio.blk";

    @AttributeDefinition(name = "Id", description = "The device's id (virtio.device.id), unique among devices.")
    String id();

    @AttributeDefinition(name = "Queues", description = "The number of request queues, 1 to 1024.",
            min = "1", max = "1024")
    int num_queues() default 1;

    @AttributeDefinition(name = "Queue size",
            description = "The largest queue size a driver may choose: a power of two from 4 to 32768.",
            min = "4", max = "32768")
    int queue_size() default 256;

    @AttributeDefinition(name = "Backend",
            description = "The storage: null (no data, like QEMU's null-co), ram, or file (needs path).",
            options = {@Option(value = "null", label = "null"), @Option(value = "ram", label = "ram"),
                @Option(value = "file", label = "file")})
    String backend() default "ram";

    @AttributeDefinition(name = "Path", description = "The image file of the file backend; it must exist.",
            required = false)
    String path() default "";

    @AttributeDefinition(name = "Capacity",
            description = "The size: bytes, or with a suffix K, M, G or T (powers of 1024), a multiple of 512."
                    + " Needed for ram and null; for file it is checked against the file's size if given.",
            required = false)
    String capacity() default "";

    @AttributeDefinition(name = "Read-only", description = "Refuse writes, discards and write-zeroes.")
    boolean read_only() default false;

    @AttributeDefinition(name = "IOThread mapping",
            description = "The IOThreads whose contexts serve the queues, round-robin (queue i on entry i mod n);"
                    + " each name once; a comma-separated list is accepted too. Empty: the main context.",
            required = false)
    String[] iothread_vq_mapping() default {};

    @AttributeDefinition(name = "Drain timeout (ms)",
            description = "How long a queue whose IOThread goes away waits for its requests in flight, 1 to"
                    + " 600000 ms; requests still in flight then are given up and the device needs a reset.",
            min = "1", max = "600000")
    int drain_timeout_ms() default 5000;

    @AttributeDefinition(name = "Transport",
            description = "How the guest reaches the device: inprocess (the driver model, virtio:fio) or"
                    + " vhost-user (a front-end such as QEMU connects to the socket and shares guest RAM).",
            options = {@Option(value = "inprocess", label = "inprocess"),
                @Option(value = "vhost-user", label = "vhost-user")})
    String transport() default "inprocess";

    @AttributeDefinition(name = "Socket",
            description = "The vhost-user socket path the device listens on (transport=vhost-user only); its"
                    + " directory must exist; a socket file left there by an earlier run is replaced.",
            required = false)
    String socket() default "";

    @AttributeDefinition(name = "Serial", description = "What GET_ID returns, at most 20 bytes; empty: the id.",
            required = false)
    String serial() default "";
}
