package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.hvkit.aio.AioContextFactory;
import org.hvkit.aio.BottomHalf;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.impl.Probes.Runs;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the linear (pre-2020, O(n)) baseline scheduler, plus what only
 * it promises: every created BH is on its one list. Run order is not part of its contract.
 */
class LinearSchedulerContractTest extends AioContextContractTest {

    @Override
    protected String scheduler() {
        return AioContextFactory.LINEAR;
    }

    @Override
    protected BhQueue queueBeforePoll() {
        return BhQueue.LIST;
    }

    @Override
    protected BhQueue queueInRunningPoll() {
        return BhQueue.LIST;
    }

    @Override
    protected int outermostSliceNumber() {
        return 0;
    }

    @Test
    void shouldTrackEveryCreatedBhUntilDeleted() {
        long before = ctx.snapshot().createdBottomHalves();
        ctx.newBottomHalf("a", new Runs());
        ctx.newBottomHalf("b", new Runs());
        BottomHalf c = ctx.newBottomHalf("c", new Runs());
        assertThat(ctx.snapshot().createdBottomHalves()).isEqualTo(before + 3);

        c.delete();
        ctx.poll(false);

        assertThat(ctx.snapshot().createdBottomHalves()).isEqualTo(before + 2);
    }
}
