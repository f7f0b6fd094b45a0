package org.hvkit.monitor.shell;

import java.util.List;
import org.hvkit.aio.monitor.PendingBottomHalf;

/**
 * One pending bottom half as {@code aio:bh} shows it, and its {@code --json} shape.
 *
 * @param name the BH's name
 * @param flags its flags as the letters P S D O I, {@code -} for a clear flag
 * @param queue {@code INCOMING}, {@code SLICE} or {@code LIST}
 * @param slice for {@code SLICE} the slice number, 1 for the slice the loop works on now; else 0
 * @param waitsIn where it waits, for people: {@code incoming}, {@code slice 1}, {@code list}
 * @param owner the symbolic name of the bundle that created it, empty if unknown
 */
record BhRow(String name, String flags, String queue, int slice, String waitsIn, String owner) {

    static BhRow of(PendingBottomHalf bh) {
        String waitsIn = switch (bh.queue()) {
            case INCOMING -> "incoming";
            case SLICE -> "slice " + bh.slice();
            case LIST -> "list";
        };
        return new BhRow(bh.name(), bh.flagCodes(), bh.queue().name(), bh.slice(), waitsIn, bh.owner());
    }

    /** The rows as an aligned table in the order the loop will visit them. */
    static String table(List<BhRow> rows) {
        Table table = new Table().left("NAME").left("FLAGS").left("WAITS-IN").left("OWNER");
        for (BhRow r : rows) {
            table.row(r.name(), r.flags(), r.waitsIn(), r.owner().isEmpty() ? null : r.owner());
        }
        return table.render();
    }
}
