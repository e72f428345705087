package dev.ghost.internal.cutover;

import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;

import java.sql.Connection;

/**
 * gh-ost's two-step cut-over: {@code LOCK TABLES t WRITE}, wait for the replay, {@code ALTER TABLE t RENAME TO old}
 * inside the lock, unlock, then {@code RENAME TABLE ghost TO t}. Between the unlock and the second rename the table
 * does not exist: queries on it fail with "table doesn't exist" (the queries that were waiting on the lock, too).
 * If the second rename fails, {@link CutoverSupport#settle} finishes it or puts the original back.
 */
public final class TwoStepCutover implements CutoverStrategy {

    @Override
    public String name() {
        return "two-step";
    }

    @Override
    public CutoverOutcome cutOver(CutoverContext context) throws Exception {
        long lockedAt = 0;
        boolean caughtUp = false;
        try (Connection locker = CutoverSupport.session(context, CutoverSupport.timeoutSeconds(context))) {
            try {
                CutoverSupport.lockTables(locker, context.original(), CutoverSupport.timeoutSeconds(context),
                        "LOCK TABLES " + context.original().quoted() + " WRITE");
                lockedAt = System.nanoTime();
                context.awaitReplayCaughtUp(context.lockTimeout());
                caughtUp = true;
                CutoverSupport.execute(locker, "ALTER TABLE " + context.original().quoted() + " RENAME TO "
                        + context.old().quoted());
                CutoverSupport.execute(locker, "UNLOCK TABLES");
                CutoverSupport.execute(locker, "RENAME TABLE " + context.ghost().quoted() + " TO "
                        + context.original().quoted());
                // Reported as the time queries on the table were blocked or failing: lock to second rename.
                return new CutoverOutcome(CutoverSupport.heldSince(lockedAt));
            } catch (Exception failure) {
                CutoverSupport.quietly(locker, "UNLOCK TABLES");
                return CutoverSupport.settle(context, failure, lockedAt, caughtUp);
            }
        }
    }
}
