package org.hvkit.aio.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.hvkit.aio.monitor.BhFlag;
import org.hvkit.aio.monitor.BhQueue;
import org.hvkit.aio.monitor.PendingBottomHalf;
import org.junit.jupiter.api.Test;

class BhFlagsTest {

    @Test
    void shouldMapEveryCombinationToItsFlags() {
        for (int flags = 0; flags < 32; flags++) {
            assertThat(BhFlags.toSet(flags).contains(BhFlag.PENDING)).isEqualTo((flags & BhFlags.PENDING) != 0);
            assertThat(BhFlags.toSet(flags).contains(BhFlag.SCHEDULED)).isEqualTo((flags & BhFlags.SCHEDULED) != 0);
            assertThat(BhFlags.toSet(flags).contains(BhFlag.DELETED)).isEqualTo((flags & BhFlags.DELETED) != 0);
            assertThat(BhFlags.toSet(flags).contains(BhFlag.ONESHOT)).isEqualTo((flags & BhFlags.ONESHOT) != 0);
            assertThat(BhFlags.toSet(flags).contains(BhFlag.IDLE)).isEqualTo((flags & BhFlags.IDLE) != 0);
            assertThat(BhFlags.toSet(flags)).hasSize(Integer.bitCount(flags));
        }
    }

    @Test
    void shouldShareOneImmutableSetPerCombinationWithTheSnapshot() {
        int flags = BhFlags.PENDING | BhFlags.SCHEDULED;

        PendingBottomHalf pending = new PendingBottomHalf("bh", BhFlags.toSet(flags), BhQueue.INCOMING, 0, "test");

        assertThat(pending.flags()).isSameAs(BhFlags.toSet(flags));
    }
}
