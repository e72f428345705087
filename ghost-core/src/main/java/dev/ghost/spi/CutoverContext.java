package dev.ghost.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** What the engine offers a {@link CutoverStrategy}. */
public interface CutoverContext {

    /**
     * The table being migrated.
     *
     * @return its name, which the ghost table takes
     */
    TableName original();

    /**
     * The ghost table that takes its name.
     *
     * @return its name, e.g. {@code _orders_gho}
     */
    TableName ghost();

    /**
     * The name the original table gets; also the sentry table's name in the atomic cut-over.
     *
     * @return its name, e.g. {@code _orders_del}
     */
    TableName old();

    /**
     * A new connection to the applier server; the strategy closes it.
     *
     * @return an open connection, in auto-commit mode
     * @throws SQLException when the server cannot be reached
     */
    Connection openConnection() throws SQLException;

    /**
     * How long a lock or rename may wait ({@code --cut-over-lock-timeout-seconds}).
     *
     * @return the wait allowed per lock or rename statement
     */
    Duration lockTimeout();

    /**
     * Writes a marker to the changelog and blocks until the replay has applied every event that precedes it.
     * Call it while writes to the original table are blocked: on return, the ghost table is complete. The renames
     * that swap the tables must come after it: the engine accepts statements that rename the original or the ghost
     * table only from this marker on, until the attempt ends; any other statement on them stops the migration.
     * With {@code includeTriggers}, it then creates the original's triggers on the ghost table (from another session:
     * the ghost table must not be locked by the strategy).
     *
     * @param timeout how long to wait for the marker, usually {@link #lockTimeout()}
     * @throws java.util.concurrent.TimeoutException when the marker does not come back within {@code timeout}
     */
    void awaitReplayCaughtUp(Duration timeout) throws Exception;
}
