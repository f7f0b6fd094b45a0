/**
 * The fio-like workload of the virtio-blk driver model, as the device service and the shell
 * see it: what to run ({@link org.hvkit.block.virtio.workload.WorkloadSpec}), what came out
 * ({@link org.hvkit.block.virtio.workload.WorkloadResult}) and a progress callback.
 *
 * <p>Thread-safety: the records and the enum are immutable and safe in any thread.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.hvkit.block.virtio.workload;
