package org.hvkit.monitor.shell;

import org.hvkit.block.virtio.workload.WorkloadProgress;
import org.hvkit.block.virtio.workload.WorkloadResult;

/**
 * Ends a workload at its next progress report once its thread is interrupted (Ctrl-C at the
 * Gogo prompt interrupts the command's thread), by throwing {@link Stopped} out of the
 * report with the totals so far. The workload itself does not stop on an interrupt, and
 * while interrupted its waits for the device return at once: it would spin a core until its
 * runtime ended. Throwing from the report is what ends it: the device service resets the
 * device and takes its guest RAM back on any way out of the run. Nothing is written while
 * interrupted: Gogo's session streams are interruptible channels, which a write from an
 * interrupted thread closes for the whole shell.
 *
 * <p>Thread-safety: not shared; called in the workload's thread only.
 */
final class StopOnInterrupt implements WorkloadProgress {

    /** Thrown out of a progress report to end the run; carries the totals up to then. */
    static final class Stopped extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient WorkloadResult soFar;

        Stopped(WorkloadResult soFar) {
            super("interrupted", null, false, false);
            this.soFar = soFar;
        }

        /** The totals of the run up to the report that ended it. */
        WorkloadResult soFar() {
            return soFar;
        }
    }

    private final WorkloadProgress next;

    StopOnInterrupt(WorkloadProgress next) {
        this.next = next;
    }

    /**
     * @throws Stopped if the thread is interrupted; the interrupt status stays set
     */
    @Override
    public void progress(WorkloadResult soFar) {
        if (Thread.currentThread().isInterrupted()) {
            throw new Stopped(soFar);
        }
        next.progress(soFar);
    }
}
