package org.hvkit.benchmarks.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionProfileTest {

    private static final List<List<String>> GROUPS = List.of(
            List.of("org.hvkit.aio.impl.SlicedScheduler", "org.hvkit.aio.impl.BottomHalfImpl"),
            List.of("org.hvkit.aio.impl.NotifierRegistry"));

    private static final String PROFILE = String.join("\n",
            // A flag operation: the VarHandle and Unsafe frames on top are the JDK's, so the BH pays.
            "[IO seed tid=7];java/lang/Thread.run;org/hvkit/aio/impl/SlicedScheduler.runSlices;"
                    + "org/hvkit/aio/impl/BottomHalfImpl.clearFlags;"
                    + "java/lang/invoke/VarHandleInts$FieldInstanceReadWrite.getAndBitwiseAnd;"
                    + "jdk/internal/misc/Unsafe.getAndBitwiseAndInt 5",
            // A callback the scheduler runs: its own code is on top, so the scheduler does not pay.
            "[IO seed tid=7];java/lang/Thread.run;org/hvkit/aio/impl/SlicedScheduler.runSlices;"
                    + "org/hvkit/aio/impl/BottomHalfImpl.run;org/hvkit/block/virtio/Queue.notifyGuest 3",
            // A system call: kernel and native frames go to the Java method that made it.
            "[IO seed tid=7];java/lang/Thread.run;org/hvkit/aio/impl/NotifierRegistry.runSet;"
                    + "sun/nio/ch/IOUtil.write;write;entry_SYSCALL_64_after_hwframe_[k];ksys_write_[k] 2",
            // Nothing of the project's on the stack: counted in the total only.
            "[IO seed tid=7];epoll_wait;do_epoll_wait_[k] 4",
            // Another thread: not asked for.
            "[guest tid=9];org/hvkit/aio/impl/SlicedScheduler.runSlices 50",
            "");

    @Test
    void shouldChargeASampleToTheFirstFrameOutsideTheJdkNativeCodeAndTheKernel() {
        Map<String, ExecutionProfile.Shares> shares =
                ExecutionProfile.shares(PROFILE, List.of("IO seed"), GROUPS);

        ExecutionProfile.Shares io = shares.get("IO seed");
        assertEquals(14, io.samples());
        assertEquals(5, io.inGroup()[0], "bookkeeping: the flag operation, not the callback");
        assertEquals(2, io.inGroup()[1], "notifiers: their system call");
        assertEquals(5 / 14.0, io.share(0), 1e-12);
    }

    @Test
    void shouldReportAThreadWithoutSamplesAsNoShare() {
        ExecutionProfile.Shares idle = ExecutionProfile.shares(PROFILE, List.of("IO idle"), GROUPS).get("IO idle");

        assertEquals(0, idle.samples());
        assertTrue(Double.isNaN(idle.share(0)));
    }
}
