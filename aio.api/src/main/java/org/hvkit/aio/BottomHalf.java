package org.hvkit.aio;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bottom half: a callback that runs in its context's home thread after
 * {@link #schedule()}, at most once per schedule (QEMU's {@code QEMUBH}).
 *
 * <p>Thread-safety: every method may be called from any thread and never blocks.
 * Scheduling publishes: the callback sees every write its scheduler made before
 * calling {@link #schedule()}.
 */
@ProviderType
public interface BottomHalf {

    /**
     * The name given at creation.
     *
     * @return the name
     */
    String name();

    /**
     * The context this BH runs in.
     *
     * @return the context
     */
    AioContext context();

    /**
     * Asks for the callback to run in the next poll ({@code qemu_bh_schedule}). Scheduling
     * a BH that is already scheduled does nothing more. A schedule made while the callback
     * runs makes it run again in the next poll, never twice in one.
     *
     * @throws IllegalStateException if the BH was deleted or its context is closed
     */
    void schedule();

    /**
     * Like {@link #schedule()} but idle: the BH runs, but does not count as progress and
     * lets a blocking poll sleep up to 10 ms first ({@code qemu_bh_schedule_idle}).
     *
     * @throws IllegalStateException if the BH was deleted or its context is closed
     */
    void scheduleIdle();

    /**
     * Withdraws a schedule that has not run yet ({@code qemu_bh_cancel}). The BH stays
     * usable.
     */
    void cancel();

    /**
     * Deletes the BH ({@code qemu_bh_delete}). Once this returns in the home thread the
     * callback never runs again; from another thread, a run already started may finish.
     * Deleting twice is harmless.
     */
    void delete();

    /**
     * Tells whether a schedule is waiting to run.
     *
     * @return true if scheduled and not yet run, cancelled or deleted
     */
    boolean isScheduled();
}
