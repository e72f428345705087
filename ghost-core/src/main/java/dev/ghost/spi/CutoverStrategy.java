package dev.ghost.spi;

import dev.ghost.internal.cutover.AtomicCutover;
import dev.ghost.internal.cutover.RenameUnderLockCutover;
import dev.ghost.internal.cutover.TwoStepCutover;

/**
 * Swaps the ghost table in place of the original one. On success the original is at {@link CutoverContext#old()}
 * and the ghost at {@link CutoverContext#original()}. On failure it throws, and the original table must be left
 * exactly as it was: never missing, never half-renamed. The engine retries failed attempts; it does not retry an
 * {@link UnsupportedOperationException}, which says the strategy cannot work on this server at all.
 *
 * <p>Without a strategy set on the builder, ghost uses {@link #atomic()} on every server.
 */
public interface CutoverStrategy {

    /**
     * A short name for logs and messages.
     *
     * @return e.g. {@code atomic}
     */
    String name();

    /**
     * Makes one attempt at swapping the tables.
     *
     * @param context the tables, connections and the replay's catch-up
     * @return how long the original table was locked
     * @throws Exception when this attempt failed; the original table must be left as it was
     */
    CutoverOutcome cutOver(CutoverContext context) throws Exception;

    /**
     * gh-ost's atomic cut-over: a sentry table and two sessions, one locking and one renaming. Works on every
     * supported server; the table is never missing.
     *
     * @return a new strategy
     */
    static CutoverStrategy atomic() {
        return new AtomicCutover();
    }

    /**
     * {@code LOCK TABLES t WRITE, ghost WRITE}, wait for the replay, then {@code RENAME TABLE} inside the lock on
     * the same session. One session, never missing; needs MySQL 8.0.13 or later (fails without retrying elsewhere).
     *
     * <p><strong>Warning:</strong> while it waits for the replay to catch up, it holds the write lock on the ghost
     * table that the replay needs to write it. With rows changed before the lock still to be replayed, the
     * cut-over waits on itself until the lock timeout and fails, attempt after attempt. Use it only where the table
     * sees no writes at cut-over time; {@link #atomic()} is the default for that reason.
     *
     * @return a new strategy
     */
    static CutoverStrategy renameUnderLock() {
        return new RenameUnderLockCutover();
    }

    /**
     * gh-ost's two-step cut-over: lock, wait for the replay, rename the original away and unlock, then rename the
     * ghost in. Between the two renames (about a millisecond) <strong>the table does not exist</strong>, and
     * queries on it fail with "table doesn't exist". Use it only where the application tolerates that.
     *
     * @return a new strategy
     */
    static CutoverStrategy twoStep() {
        return new TwoStepCutover();
    }
}
