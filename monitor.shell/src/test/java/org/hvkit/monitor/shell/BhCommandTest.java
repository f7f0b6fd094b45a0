package org.hvkit.monitor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.hvkit.aio.ContextBusyException;
import org.hvkit.aio.monitor.BhFlag;
import org.hvkit.aio.monitor.BhQueue;
import org.junit.jupiter.api.Test;

class BhCommandTest {

    private static BhCommand commandWith(org.hvkit.aio.monitor.PendingBottomHalf... pending) {
        return new BhCommand(Fakes.registry(Fakes.context("iothread0",
                Fakes.snapshot("iothread0", 0, Fakes.counters(1, 1), List.of(pending), List.of()))));
    }

    @Test
    void shouldShowFlagsWhereEachBhWaitsAndItsOwner() {
        String out = commandWith(
                Fakes.pending("kick", BhQueue.INCOMING, 0, BhFlag.PENDING, BhFlag.SCHEDULED),
                Fakes.pending("notify", BhQueue.SLICE, 2, BhFlag.PENDING, BhFlag.SCHEDULED, BhFlag.IDLE),
                Fakes.pending("gone", BhQueue.LIST, 0, BhFlag.PENDING, BhFlag.DELETED))
                .bh(false, "iothread0");

        assertThat(out.lines()).containsExactly(
                "NAME    FLAGS  WAITS-IN  OWNER",
                "kick    PS---  incoming  org.hvkit.block.virtio",
                "notify  PS--I  slice 2   org.hvkit.block.virtio",
                "gone    P-D--  list      org.hvkit.block.virtio");
    }

    @Test
    void shouldShowADashForAnUnknownOwner() {
        BhRow row = BhRow.of(new org.hvkit.aio.monitor.PendingBottomHalf("x", java.util.Set.of(BhFlag.ONESHOT),
                BhQueue.INCOMING, 0, ""));

        assertThat(BhRow.table(List.of(row)).lines().skip(1)).containsExactly("x     ---O-  incoming  -");
    }

    @Test
    void shouldSayInOneLineThatNothingIsPending() {
        assertThat(commandWith().bh(false, "iothread0")).isEqualTo("no bottom halves pending in iothread0");
    }

    @Test
    void shouldWriteEachBhAsAJsonObject() {
        String out = commandWith(Fakes.pending("notify", BhQueue.SLICE, 1, BhFlag.PENDING, BhFlag.SCHEDULED))
                .bh(true, "iothread0");

        JsonObject bh = JsonParser.parseString(out).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(bh.keySet()).containsExactly("name", "flags", "queue", "slice", "waitsIn", "owner");
        assertThat(bh.get("flags").getAsString()).isEqualTo("PS---");
        assertThat(bh.get("queue").getAsString()).isEqualTo("SLICE");
        assertThat(bh.get("slice").getAsInt()).isEqualTo(1);
        assertThat(bh.get("waitsIn").getAsString()).isEqualTo("slice 1");
    }

    @Test
    void shouldWriteAnEmptyJsonArrayWhenNothingIsPending() {
        assertThat(JsonParser.parseString(commandWith().bh(true, "iothread0")).getAsJsonArray()).isEmpty();
    }

    @Test
    void shouldNameTheContextsInOneLineForAnUnknownOne() {
        assertThat(commandWith().bh(false, "nope"))
                .isEqualTo("aio:bh: no context 'nope'; contexts: iothread0");
    }

    @Test
    void shouldNameTheContextsInOneLineWithoutAContext() {
        assertThat(commandWith().bh(true)).isEqualTo("aio:bh: give a context name; contexts: iothread0");
    }

    @Test
    void shouldSayInOneLineThatTheContextIsBusy() {
        BhCommand command = new BhCommand(Fakes.registry(Fakes.context("iothread0", () -> {
            throw new ContextBusyException("context 'iothread0' did not answer within 1000 ms");
        })));

        assertThat(command.bh(false, "iothread0"))
                .isEqualTo("aio:bh: context 'iothread0' did not answer within 1000 ms");
    }
}
