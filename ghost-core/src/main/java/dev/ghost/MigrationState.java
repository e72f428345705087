package dev.ghost;

/** Where a migration is. The order is the order they happen in; FAILED and CANCELLED can follow any state. */
public enum MigrationState {
    /** Built, not started. */
    NEW,
    /**
     * Checking the server and the table; nothing is created yet. With {@code attemptInstantDdl}, the ALTER with
     * ALGORITHM=INSTANT is tried at its end, and when the server takes it the next state is {@link #COMPLETED}.
     */
    INSPECTING,
    /** Creating the changelog and ghost tables, starting the binlog stream. */
    PREPARING,
    /** Copying rows while replaying the binlog. */
    COPYING,
    /** All rows copied; replaying the remaining backlog before the cut-over. */
    CATCHING_UP,
    /** Ready to cut over, but held by a postpone flag file or {@link RunningMigration#postponeCutover()}. */
    POSTPONED,
    /** Swapping the tables. */
    CUTTING_OVER,
    /** Dropping the changelog (and the old table when asked). */
    CLEANING_UP,
    /** Done: the new table is in place (or, for a dry run, everything was checked and removed again). */
    COMPLETED,
    /** Stopped by an error; the original table is untouched. */
    FAILED,
    /** Stopped by {@link RunningMigration#cancel()}; the original table is untouched. */
    CANCELLED;

    /**
     * Whether the migration has ended: no state follows this one.
     *
     * @return true for {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED}
     */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
