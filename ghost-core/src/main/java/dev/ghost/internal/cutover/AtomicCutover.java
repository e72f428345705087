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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gh-ost's atomic cut-over, with its sentry named so that the rename queues on the table itself. A locker session
 * creates a sentry table under the rename's target name and write-locks the original and the sentry; once the replay
 * has applied every event up to the lock, a renamer session issues {@code RENAME TABLE t TO sentry, ghost TO t},
 * which queues behind the lock ahead of any DML; the locker then drops the sentry and unlocks, and the rename runs
 * first. Whatever dies on the way, the sentry makes the rename fail (the target name is taken), so the original table
 * is never missing or half-renamed. On failure the locker unlocks <em>before</em> dropping the sentry, for that
 * reason. After the swap, the old table moves from the sentry's name to its final name ({@code _t_del}).
 *
 * <p>A rename that is still waiting (or not even sent) when the cut-over gives up must never run later, when writes
 * have gone on and the ghost table is behind: on failure, the renamer's session is killed and seen gone before the
 * tables are unlocked and the sentry is dropped, and then the tables are looked at (the rename may have won a race,
 * which is then reported as the success it is). The rename runs on a thread of its own, so that no busy pool delays it.
 *
 * <p>Why the sentry is not simply {@code _t_del}, as in gh-ost: a RENAME takes its metadata locks one table at a time
 * in name order, and {@code _t_del} sorts before {@code t}. The renamer then waits on the sentry, not on {@code t};
 * between the sentry's drop and the unlock it has not yet queued on {@code t}, and writes already waiting on
 * {@code t} get in first, after the catch-up marker: they land in the old table and are lost. A test with 4
 * recording writers caught it. The sentry here is {@code t} plus a suffix, which always sorts after {@code t}, so
 * the renamer is queued on {@code t} itself before the lock is released. (The ghost table, which also sorts before
 * {@code t}, is free at that moment: the replay has committed everything and the copy is done. A third session
 * holding a metadata lock on the ghost table during the cut-over would reopen the window; MySQL's
 * performance_schema.metadata_locks could tell, MariaDB's default configuration cannot.)
 */
public final class AtomicCutover implements CutoverStrategy {

    private static final Logger log = LoggerFactory.getLogger(AtomicCutover.class);
    private static final String SENTRY_COMMENT = "ghost-cut-over-sentry";
    /** Appended to the table's name: a name that begins with the table's sorts after it (see the class comment). */
    static final String SENTRY_SUFFIX = "_gcs";
    /** How long a killed renamer may take to leave the server's process list. */
    private static final Duration RENAMER_PATIENCE = Duration.ofSeconds(10);

    /** Starts the renamer's statement; a thread of its own by default, so that nothing else can delay it. */
    private final Executor renameStarter;

    public AtomicCutover() {
        this(task -> {
            Thread thread = new Thread(task, "ghost-cut-over-rename");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** For tests: an executor that starts the rename late, as a starved thread pool or a long pause would. */
    AtomicCutover(Executor renameStarter) {
        this.renameStarter = renameStarter;
    }

    @Override
    public String name() {
        return "atomic";
    }

    @Override
    public CutoverOutcome cutOver(CutoverContext context) throws Exception {
        TableName original = context.original();
        TableName ghost = context.ghost();
        TableName old = context.old();
        TableName sentry = sentryFor(original);
        long timeoutSeconds = CutoverSupport.timeoutSeconds(context);

        // The locker may wait for running transactions twice as long: the renamer's wait starts later.
        try (Connection locker = CutoverSupport.session(context, 2 * timeoutSeconds);
             Connection renamer = CutoverSupport.session(context, timeoutSeconds);
             Connection observer = context.openConnection()) {
            long renamerId = connectionId(renamer);
            if (CutoverSupport.exists(observer, old)) {
                throw new IllegalStateException("table " + old.quoted() + " exists: the old table needs that name");
            }
            dropSentry(context, sentry); // one left by an attempt that died
            execute(locker, "CREATE TABLE " + sentry.quoted() + " (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) "
                    + "ENGINE=InnoDB COMMENT='" + SENTRY_COMMENT + "'");
            boolean sentryExists = true;
            boolean locked = false;
            CompletableFuture<Void> rename = null;
            long lockedAt = 0;
            try {
                CutoverSupport.lockTables(locker, original, 2 * timeoutSeconds,
                        "LOCK TABLES " + original.quoted() + " WRITE, " + sentry.quoted() + " WRITE");
                lockedAt = System.nanoTime();
                locked = true;

                context.awaitReplayCaughtUp(context.lockTimeout());

                rename = CompletableFuture.runAsync(() -> {
                    try {
                        execute(renamer, "RENAME TABLE " + original.quoted() + " TO " + sentry.quoted() + ", "
                                + ghost.quoted() + " TO " + original.quoted());
                    } catch (SQLException e) {
                        throw new RenameFailed(e);
                    }
                }, renameStarter);
                awaitRenameQueued(observer, renamerId, rename, context.lockTimeout());

                execute(locker, "DROP TABLE " + sentry.quoted());
                sentryExists = false;
                execute(locker, "UNLOCK TABLES");
                locked = false;
                waitFor(rename, Duration.ofSeconds(timeoutSeconds + 5));
                CutoverOutcome outcome = new CutoverOutcome(CutoverSupport.heldSince(lockedAt));
                moveOldTable(context, sentry, old);
                return outcome;
            } catch (Exception failure) {
                // A rename that is still waiting (or not even sent) must never run later: by then the ghost table
                // may be behind. End the renamer's session before anything lets it through; only then unlock and
                // drop the sentry. If it cannot be proven gone, the sentry stays: it makes a late rename fail.
                boolean renamerGone = rename == null || rename.isDone()
                        || endRenamer(context, renamerId, rename, failure);
                if (locked) {
                    quietly(locker, "UNLOCK TABLES");
                }
                if (sentryExists && renamerGone) {
                    dropSentry(context, sentry);
                }
                // The rename may have won a race (or a killed locker dropped the sentry and unlocked before dying):
                // the tables tell, and settle reports what happened.
                moveOldTable(context, sentry, old);
                return CutoverSupport.settle(context, failure, lockedAt, false);
            }
        }
    }

    /**
     * Kills the renamer's session from a session of its own and waits until the server no longer lists it.
     * Returns whether it is gone; the failure collects what went wrong.
     */
    private static boolean endRenamer(CutoverContext context, long renamerId, CompletableFuture<Void> rename,
                                      Exception failure) {
        long deadline = System.nanoTime() + RENAMER_PATIENCE.toNanos();
        try (Connection killer = context.openConnection();
             PreparedStatement listed = killer.prepareStatement(
                     "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            try {
                // KILL CONNECTION, not KILL QUERY: a rename not yet sent then fails too, whenever it is sent.
                execute(killer, "KILL CONNECTION " + renamerId);
            } catch (SQLException e) {
                log.debug("KILL CONNECTION {} failed (it may have ended): {}", renamerId, e.getMessage());
            }
            listed.setLong(1, renamerId);
            while (true) {
                try (ResultSet rows = listed.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("session " + renamerId + " still runs " + RENAMER_PATIENCE
                            + " after KILL CONNECTION");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (Exception e) {
            failure.addSuppressed(e);
            log.error("the cut-over of {} failed and its queued rename could not be ended ({}); the sentry {} stays "
                    + "so that the rename cannot run late: drop it once no RENAME TABLE of {} runs",
                    context.original(), e.getMessage(), sentryFor(context.original()), context.original());
            return false;
        }
        try {
            waitFor(rename, Duration.ofSeconds(1)); // usually done by now; one not yet sent fails whenever it is
        } catch (Exception expected) {
            log.debug("the queued rename ended after an aborted cut-over: {}", expected.getMessage());
        }
        return true;
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

    /** The sentry's name for {@code original}: the pre-flight checks refuse a leftover one. */
    public static TableName sentryFor(TableName original) {
        return original.sibling(original.name() + SENTRY_SUFFIX);
    }

    /** If the rename went through, the old table sits under the sentry's name: give it its final name. */
    private static void moveOldTable(CutoverContext context, TableName sentry, TableName old) {
        try (Connection connection = context.openConnection()) {
            String comment = comment(connection, sentry);
            if (comment != null && !SENTRY_COMMENT.equals(comment)) {
                execute(connection, "RENAME TABLE " + sentry.quoted() + " TO " + old.quoted());
            }
        } catch (SQLException e) {
            log.error("the cut-over of {} succeeded, but the old table could not be renamed from {} to {}: {}",
                    context.original(), sentry, old, e.getMessage());
        }
    }

    /** The table's comment, or null when there is no such table. */
    private static String comment(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_COMMENT FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void dropSentry(CutoverContext context, TableName sentry) {
        // Only drop our sentry, never a real table that might sit under that name. On a fresh session: the
        // observer's may be the one that was killed.
        try (Connection connection = context.openConnection()) {
            if (SENTRY_COMMENT.equals(comment(connection, sentry))) {
                execute(connection, "DROP TABLE " + sentry.quoted());
            }
        } catch (SQLException e) {
            log.warn("could not drop the cut-over sentry {}: {}", sentry, e.getMessage());
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
