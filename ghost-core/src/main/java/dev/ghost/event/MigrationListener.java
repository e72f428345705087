package dev.ghost.event;

import dev.ghost.MigrationStatus;

/**
 * Callbacks from a running migration, one default method per event that does nothing (or approves). Called on the
 * engine's threads: return quickly and do not block. An exception thrown by a listener is logged and ignored, except
 * in the {@code approve} methods, where it says no.
 */
public interface MigrationListener {

    /**
     * The migration moved from one state to the next.
     *
     * @param change the old and the new state, and when
     */
    default void stateChanged(StateChange change) {
    }

    /**
     * Periodic progress: about once a second while copying, and at the end of each phase.
     *
     * @param status a snapshot of the migration
     */
    default void progress(MigrationStatus status) {
    }

    /**
     * Asked before each cut-over attempt, before any lock is taken: return {@code false} to veto this attempt.
     * A veto counts as a failed attempt: it is retried after the usual pause, and once {@code defaultRetries}
     * attempts are used up the migration fails with the original table in place. A listener that throws vetoes too
     * (when in doubt, do not swap). To hold the cut-over for an unknown time, postpone it instead.
     *
     * <p>A method here rather than a separate interface: one registration point, and the listener that watches the
     * migration is usually the one that knows whether now is a good moment (a deploy, a batch job, a replica).
     *
     * @return {@code true} to let this attempt start
     * @param table   the migrated table, {@code schema.table}
     * @param attempt the attempt about to start, from 1
     */
    default boolean approveCutover(String table, int attempt) {
        return true;
    }

    /**
     * The tables were swapped; {@code event.lockHeld()} is how long queries on the table were blocked.
     *
     * @param event the tables swapped and the lock's duration
     */
    default void cutoverCompleted(CutoverCompleted event) {
    }

    /**
     * An operator sent a command to the migration's socket ({@code serveSocketFile}, {@code serveTcpPort}): asked for
     * every non-blank line, unknown commands and {@code name=?} questions included, before the command is applied.
     * Return {@code false} to refuse it: the command is not applied, the operator's answer says so, and the migration
     * goes on. A listener that throws refuses too, and the answer carries the exception's message. This is gh-ost's
     * {@code gh-ost-on-interactive-command} hook, which runs before each command and whose failure refuses it; use it
     * to audit, announce or forbid commands.
     *
     * <p>Called on the thread that serves the socket the command came in on (one command at a time per socket); the
     * operator waits for the answer meanwhile. Commands given through {@link dev.ghost.RunningMigration} are not
     * asked about: the caller holds the handle.
     *
     * @param command the command line as sent, and where it came from
     * @return {@code true} to apply the command
     */
    default boolean approveCommand(InteractiveCommand command) {
        return true;
    }
}
