package dev.ghost.event;

import dev.ghost.MigrationStatus;

/**
 * Callbacks from a running migration, one default no-op method per event. Called on the engine's threads: return
 * quickly and do not block. An exception thrown by a listener is logged and ignored.
 */
public interface MigrationListener {

    /** The migration moved from one state to the next. */
    default void stateChanged(StateChange change) {
    }

    /** Periodic progress: about once a second while copying, and at the end of each phase. */
    default void progress(MigrationStatus status) {
    }

    /** The tables were swapped; {@code event.lockHeld()} is how long queries on the table were blocked. */
    default void cutoverCompleted(CutoverCompleted event) {
    }
}
