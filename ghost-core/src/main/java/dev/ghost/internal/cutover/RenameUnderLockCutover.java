package dev.ghost.internal.cutover;

import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;

import java.sql.Connection;

/**
 * Swaps the tables with one session: {@code LOCK TABLES t WRITE, ghost WRITE}, wait for the replay, then
 * {@code RENAME TABLE} inside the lock (MySQL 8.0.13 and later; MariaDB refuses it, see
 * {@link CutoverSupport#renamesUnderLock(String, String)}). The rename is one atomic statement, so the table is
 * never missing; queries queued on {@code t} run on the new table after the unlock.
 *
 * <p><strong>Not the default, and for good reason:</strong> the lock on the ghost table is taken before the replay
 * has caught up, and the replay writes the ghost table on another session. Any event still to be applied waits on
 * this lock, so the marker never comes back and the attempt times out; under steady writes, every attempt does. Only
 * used when asked for explicitly ({@code CutoverStrategy.renameUnderLock()}).
 */
public final class RenameUnderLockCutover implements CutoverStrategy {

    @Override
    public String name() {
        return "rename-under-lock";
    }

    @Override
    public CutoverOutcome cutOver(CutoverContext context) throws Exception {
        long lockedAt = 0;
        boolean caughtUp = false;
        try (Connection locker = CutoverSupport.session(context, CutoverSupport.timeoutSeconds(context))) {
            if (!CutoverSupport.renamesUnderLock(locker)) {
                throw new UnsupportedOperationException("the rename-under-lock cut-over needs MySQL 8.0.13 or later "
                        + "(MariaDB refuses RENAME TABLE under LOCK TABLES); use the atomic cut-over");
            }
            try {
                CutoverSupport.lockTables(locker, context.original(), CutoverSupport.timeoutSeconds(context),
                        "LOCK TABLES " + context.original().quoted() + " WRITE, " + context.ghost().quoted() + " WRITE");
                lockedAt = System.nanoTime();
                context.awaitReplayCaughtUp(context.lockTimeout());
                caughtUp = true;
                CutoverSupport.execute(locker, "RENAME TABLE " + context.original().quoted() + " TO "
                        + context.old().quoted() + ", " + context.ghost().quoted() + " TO "
                        + context.original().quoted());
                CutoverSupport.execute(locker, "UNLOCK TABLES");
                return new CutoverOutcome(CutoverSupport.heldSince(lockedAt));
            } catch (Exception failure) {
                CutoverSupport.quietly(locker, "UNLOCK TABLES");
                return CutoverSupport.settle(context, failure, lockedAt, caughtUp);
            }
        }
    }
}
