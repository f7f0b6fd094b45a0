package org.hvkit.monitor.shell;

import java.util.List;
import org.hvkit.aio.monitor.ContextCounters;
import org.hvkit.aio.monitor.ContextSnapshot;

/**
 * One line of {@code aio:contexts}, and its {@code --json} shape. A context that did not
 * answer in time has {@code busy} set and no numbers (they are left out of the JSON).
 *
 * @param name the context's name
 * @param thread its home thread's name; null when busy
 * @param scheduler {@code sliced} or {@code linear}
 * @param busy true if the context did not answer the snapshot in time
 * @param polls calls of poll so far
 * @param bhRuns bottom-half callbacks run so far
 * @param pendingBhs bottom halves waiting on a list now
 * @param sliceDepth BH polls in progress now besides the snapshot's own: 0 for an idle
 *     loop, k while a callback sits in k nested polls
 * @param maxSliceDepth the most BH polls ever in progress at once (1: never nested)
 * @param wakeUpsSent wake-ups that cost a system call
 * @param wakeUpsElided wake-ups skipped because the loop was busy
 * @param timersArmed armed timers now
 * @param pollWindowNs the adaptive-polling window now
 * @param pollMaxNs the adaptive-polling limit, 0 if adaptive polling is off
 */
record ContextRow(
        String name,
        String thread,
        String scheduler,
        boolean busy,
        Long polls,
        Long bhRuns,
        Integer pendingBhs,
        Integer sliceDepth,
        Integer maxSliceDepth,
        Long wakeUpsSent,
        Long wakeUpsElided,
        Integer timersArmed,
        Long pollWindowNs,
        Long pollMaxNs) {

    /** The row of a context that answered. */
    static ContextRow of(ContextSnapshot s) {
        ContextCounters c = s.counters();
        return new ContextRow(s.name(), s.threadName(), s.scheduler(), false, c.polls(), c.bhRuns(),
                s.pendingBottomHalves().size(), s.sliceDepth(), s.maxSliceDepth(), c.wakeUpsSent(),
                c.wakeUpsElided(), s.timers().size(), s.pollWindowNanos(), s.pollMaxNanos());
    }

    /** The row of a context that did not answer in time. */
    static ContextRow busy(String name, String scheduler) {
        return new ContextRow(name, null, scheduler, true, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The rows as an aligned table under one header line. */
    static String table(List<ContextRow> rows) {
        Table table = new Table().left("NAME").left("THREAD").left("SCHED").right("POLLS").right("BH-RUNS")
                .right("PENDING").right("SLICES").right("WAKE-SENT").right("WAKE-ELIDED").right("TIMERS")
                .right("POLL-NS");
        for (ContextRow r : rows) {
            if (r.busy()) {
                table.row(r.name(), "(busy)", r.scheduler(), null, null, null, null, null, null, null, null);
            } else {
                table.row(r.name(), r.thread().isEmpty() ? "(none)" : r.thread(), r.scheduler(), r.polls(),
                        r.bhRuns(), r.pendingBhs(), r.sliceDepth() + "/" + r.maxSliceDepth(), r.wakeUpsSent(),
                        r.wakeUpsElided(), r.timersArmed(), r.pollWindow());
            }
        }
        return table.render();
    }

    /** The adaptive-polling window as {@code now/max} in nanoseconds, or {@code off}. */
    String pollWindow() {
        return pollMaxNs == null ? null : pollMaxNs == 0 ? "off" : pollWindowNs + "/" + pollMaxNs;
    }
}
