package dev.ghost.internal.cutover;

import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gh-ost's atomic cut-over. A locker session creates a sentry table under the old table's name and write-locks the
 * original and the sentry; once the replay has applied every event up to the lock, a renamer session issues
 * {@code RENAME TABLE t TO old, ghost TO t}, which queues behind the lock ahead of any DML; the locker then drops the
 * sentry and unlocks, and the rename runs first. Whatever dies on the way, the sentry makes the rename fail (the
 * target name is taken), so the original table is never missing or half-renamed. On failure the locker unlocks
 * <em>before</em> dropping the sentry, for that reason.
 */
public final class AtomicCutover implements CutoverStrategy {

    private static final Logger log = LoggerFactory.getLogger(AtomicCutover.class);
    private static final String SENTRY_COMMENT = "ghost-cut-over-sentry";

    @Override
    public String name() {
        return "atomic";
    }

    @Override
    public CutoverOutcome cutOver(CutoverContext context) throws Exception {
        TableName original = context.original();
        TableName ghost = context.ghost();
        TableName old = context.old();
        long timeoutSeconds = CutoverSupport.timeoutSeconds(context);

        // The locker may wait for running transactions twice as long: the renamer's wait starts later.
        try (Connection locker = CutoverSupport.session(context, 2 * timeoutSeconds);
             Connection renamer = CutoverSupport.session(context, timeoutSeconds);
             Connection observer = context.openConnection()) {
            long renamerId = connectionId(renamer);

            execute(locker, "CREATE TABLE " + old.quoted() + " (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) "
                    + "ENGINE=InnoDB COMMENT='" + SENTRY_COMMENT + "'");
            boolean sentryExists = true;
            boolean locked = false;
            CompletableFuture<Void> rename = null;
            long lockedAt = 0;
            try {
                execute(locker, "LOCK TABLES " + original.quoted() + " WRITE, " + old.quoted() + " WRITE");
                lockedAt = System.nanoTime();
                locked = true;

                context.awaitReplayCaughtUp(context.lockTimeout());

                rename = CompletableFuture.runAsync(() -> {
                    try {
                        execute(renamer, "RENAME TABLE " + original.quoted() + " TO " + old.quoted() + ", "
                                + ghost.quoted() + " TO " + original.quoted());
                    } catch (SQLException e) {
                        throw new RenameFailed(e);
                    }
                });
                awaitRenameQueued(observer, renamerId, rename, context.lockTimeout());

                execute(locker, "DROP TABLE " + old.quoted());
                sentryExists = false;
                execute(locker, "UNLOCK TABLES");
                locked = false;
                waitFor(rename, Duration.ofSeconds(timeoutSeconds + 5));
                return new CutoverOutcome(CutoverSupport.heldSince(lockedAt));
            } catch (Exception failure) {
                // Unlock first, with the sentry still in place: a queued rename then fails on the taken name.
                if (locked) {
                    quietly(locker, "UNLOCK TABLES");
                }
                if (rename != null) {
                    try {
                        waitFor(rename, Duration.ofSeconds(timeoutSeconds + 5));
                    } catch (Exception expected) {
                        log.debug("rename failed as intended after an aborted cut-over: {}", expected.getMessage());
                    }
                }
                if (sentryExists) {
                    dropSentry(context, old);
                }
                // A killed locker may have dropped the sentry and unlocked before dying: the tables tell.
                return CutoverSupport.settle(context, failure, lockedAt, false);
            }
        }
    }

    /** Waits until the renamer is blocked on the metadata lock, so that it is ahead of any DML once we unlock. */
    private static void awaitRenameQueued(Connection observer, long renamerId, CompletableFuture<Void> rename,
                                          Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement statement = observer.prepareStatement(
                "SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            statement.setLong(1, renamerId);
            while (true) {
                if (rename.isDone()) {
                    waitFor(rename, Duration.ZERO); // it failed (it cannot succeed while we hold the lock)
                    throw new IllegalStateException("the rename finished while the tables were locked");
                }
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        String state = rows.getString(1);
                        String info = rows.getString(2);
                        if (state != null && state.toLowerCase().contains("metadata lock")
                                && info != null && info.toUpperCase().startsWith("RENAME")) {
                            return;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the rename did not queue behind the lock within " + timeout);
                }
                Thread.onSpinWait(); // the rename is usually queued within a millisecond; poll tightly
                TimeUnit.MICROSECONDS.sleep(500);
            }
        }
    }

    private static void dropSentry(CutoverContext context, TableName old) {
        // Only drop our sentry, never a real table that might sit under that name. On a fresh session: the
        // observer's may be the one that was killed.
        try (Connection connection = context.openConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT TABLE_COMMENT FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, old.schema());
            statement.setString(2, old.name());
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next() && SENTRY_COMMENT.equals(rows.getString(1))) {
                    execute(connection, "DROP TABLE " + old.quoted());
                }
            }
        } catch (SQLException e) {
            log.warn("could not drop the cut-over sentry {}: {}", old, e.getMessage());
        }
    }

    private static void waitFor(CompletableFuture<Void> rename, Duration timeout) throws Exception {
        try {
            rename.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof RenameFailed failed ? failed.getCause() : e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        return CutoverSupport.connectionId(connection);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        CutoverSupport.execute(connection, sql);
    }

    private static void quietly(Connection connection, String sql) {
        CutoverSupport.quietly(connection, sql);
    }

    /** Carries the rename's SQLException out of the async task. */
    private static final class RenameFailed extends RuntimeException {
        RenameFailed(SQLException cause) {
            super(cause);
        }
    }
}
