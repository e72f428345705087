package dev.ghost.internal.engine;

import dev.ghost.MigrationFailedException;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * gh-ost's {@code --attempt-instant-ddl}: the user's ALTER run on the original table itself with
 * {@code ALGORITHM=INSTANT} (MariaDB 10.3+, MySQL 8.0+), before anything else is created. The server decides whether
 * the change is metadata-only: parsing the ALTER cannot tell, since the answer also depends on the table's row format
 * and history. When the server accepts, the migration is done; when it refuses, the full migration runs.
 *
 * <p>Why there is no INPLACE counterpart: {@code ALGORITHM=INSTANT} is exactly the server's metadata-only class.
 * Whatever INPLACE (or MariaDB's NOCOPY) adds beyond it reads or rewrites data (an index build, a rebuild), takes
 * time in proportion to the table, and is then replayed by every replica in its single applier thread, lagging it
 * for as long: the cost the online migration exists to avoid.
 */
final class InstantDdl {

    private static final Logger log = LoggerFactory.getLogger(InstantDdl.class);

    /** ER_LOCK_WAIT_TIMEOUT: the ALTER's wait for the table's metadata lock gave up. */
    static final int LOCK_WAIT_TIMEOUT = 1205;

    /**
     * What an attempt came to.
     *
     * @param applied  the server changed the table with ALGORITHM=INSTANT
     * @param reason   why not, when not applied: the server's refusal, or the lock it could not get
     * @param attempts statements sent (more than one after lock-wait timeouts)
     */
    record Outcome(boolean applied, String reason, int attempts) {
    }

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final StopSignal stop;

    InstantDdl(MigrationSettings settings, ServerConnections connections, StopSignal stop) {
        this.settings = settings;
        this.connections = connections;
        this.stop = stop;
    }

    /** The ALTER of {@code table} that the server must run as a metadata-only change, or refuse. */
    static String statement(TableName table, String clauses) {
        return "ALTER TABLE " + table.quoted() + " " + clauses + ", ALGORITHM=INSTANT";
    }

    /**
     * Whether an attempt's failure is only a lock that was not granted in time (worth another try) or the server's
     * answer about the change itself (ALGORITHM=INSTANT is not supported for it, or any other refusal).
     */
    static boolean isLockWait(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    /**
     * Whether the connection broke under the statement: the server may then have applied the ALTER or not, and only
     * the table's definition can tell.
     */
    static boolean connectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * The lock_wait_timeout of an attempt, in whole seconds (at least 1): the cut-over's lock timeout. An ALTER that
     * waits for the table's metadata lock queues every later statement on the table behind it, so its wait is bounded
     * like the cut-over's lock, which blocks the table the same way.
     */
    static long lockWaitSeconds(Duration cutoverLockTimeout) {
        return Math.max(1, (cutoverLockTimeout.toMillis() + 999) / 1000);
    }

    /**
     * Runs the ALTER with ALGORITHM=INSTANT on the original, again after each lock-wait timeout up to
     * {@code defaultRetries} times, pausing as the cut-over does between attempts.
     *
     * @throws MigrationFailedException when the connection broke under the ALTER: whether it was applied is unknown,
     *                                  so neither the instant result nor the full migration can be trusted to follow
     */
    Outcome attempt(String clauses) throws SQLException, InterruptedException {
        TableName table = settings.table();
        String sql = statement(table, clauses);
        long waitSeconds = lockWaitSeconds(settings.cutoverLockTimeout());
        // gh-ost's wording, which wrappers may look for
        log.info("Attempting to execute alter with ALGORITHM=INSTANT: {} (lock_wait_timeout {} s)", sql,
                waitSeconds);
        String lastLockWait = null;
        for (int attempt = 1; attempt <= settings.defaultRetries(); attempt++) {
            stop.checkNotStopped();
            if (attempt > 1) {
                Duration pause = settings.cutover().pauseAfter(attempt - 1);
                log.info("Retrying ALGORITHM=INSTANT on {} after a lock wait timeout (attempt {}/{}), in {}",
                        table, attempt, settings.defaultRetries(), GoDuration.format(pause));
                Thread.sleep(pause.toMillis());
                stop.checkNotStopped();
            }
            try (Connection connection = connections.open()) {
                prepareSession(connection, waitSeconds);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
                return new Outcome(true, "", attempt);
            } catch (SQLException e) {
                if (connectionLost(e)) {
                    throw new MigrationFailedException("the connection to " + connections.server() + " broke while "
                            + "ALTER TABLE " + table.quoted() + " ... ALGORITHM=INSTANT ran (" + e.getMessage()
                            + "): whether the server applied it is unknown. Nothing else was created. Look at SHOW "
                            + "CREATE TABLE " + table.quoted() + ", and run the migration again only if the change is "
                            + "not there", e, List.of());
                }
                if (!isLockWait(e)) {
                    return new Outcome(false, e.getMessage(), attempt);
                }
                lastLockWait = e.getMessage();
                log.warn("ALGORITHM=INSTANT on {} could not get the table's metadata lock within {} s (attempt {}/{}): "
                                + "another session holds the table (an open transaction that used it, a LOCK TABLES, "
                                + "a long statement); see SHOW PROCESSLIST", table, waitSeconds, attempt,
                        settings.defaultRetries());
            }
        }
        return new Outcome(false, "the table's metadata lock was not granted in " + settings.defaultRetries()
                + " attempts of " + waitSeconds + " s (" + lastLockWait + ")", settings.defaultRetries());
    }

    /**
     * The attempt's session: the metadata-lock wait bounded, and the same sql_mode as the ghost table's ALTER gets, so
     * that a definition the full migration would refuse (a zero DEFAULT against NO_ZERO_DATE) is refused here too.
     */
    private void prepareSession(Connection connection, long waitSeconds) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION lock_wait_timeout = " + waitSeconds);
            if (!settings.allowZeroInDate()) {
                statement.execute("SET SESSION sql_mode = @@GLOBAL.sql_mode");
            }
        }
    }
}
