package dev.ghost.liquibase;

import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.exception.DatabaseException;
import liquibase.statement.AbstractSqlStatement;
import liquibase.statement.ExecutablePreparedStatement;

/**
 * One online schema change of one table, as Liquibase executes it: the statement that ghost's changes generate.
 * Liquibase's JDBC executor calls {@link #execute(PreparedStatementFactory)} for it instead of sending SQL, which runs
 * {@link dev.ghost.OnlineSchemaChange}; {@link OnlineAlterStatementGenerator} prints it for {@code update-sql}.
 */
public final class OnlineAlterStatement extends AbstractSqlStatement implements ExecutablePreparedStatement {

    private final String changeName;
    private final String databaseName;
    private final String tableName;
    private final String alter;
    private final Database database;

    /**
     * A statement for one change.
     *
     * @param changeName   the change type that made it, e.g. {@code addColumnOnline}, for messages
     * @param databaseName the table's database (MySQL schema); null when unknown offline
     * @param tableName    the table to migrate
     * @param alter        the ALTER TABLE body, without {@code ALTER TABLE name}
     * @param database     the Liquibase database whose connection gives ghost's server and user
     */
    public OnlineAlterStatement(String changeName, String databaseName, String tableName, String alter,
                                Database database) {
        this.changeName = changeName;
        this.databaseName = databaseName;
        this.tableName = tableName;
        this.alter = alter;
        this.database = database;
    }

    /**
     * The change type that made this statement.
     *
     * @return a change name such as {@code addColumnOnline}
     */
    public String getChangeName() {
        return changeName;
    }

    /**
     * The database (MySQL schema) of the table.
     *
     * @return the database name, or null when unknown (offline, without a default)
     */
    public String getDatabaseName() {
        return databaseName;
    }

    /**
     * The table that ghost migrates.
     *
     * @return the table name
     */
    public String getTableName() {
        return tableName;
    }

    /**
     * The ALTER TABLE body that ghost applies to its ghost table.
     *
     * @return the body, such as {@code ADD note VARCHAR(64) NULL}
     */
    public String getAlter() {
        return alter;
    }

    /**
     * The table as {@code `database`.`table`}, or {@code `table`} when the database is the connection's default and
     * there is no connection (offline {@code update-sql}).
     *
     * @return the quoted, qualified table name
     */
    public String qualifiedTable() {
        return databaseName == null ? quote(tableName) : quote(databaseName) + "." + quote(tableName);
    }

    /**
     * The plain ALTER TABLE statement that does the same change in place (and blocks writes while it runs).
     *
     * @return {@code ALTER TABLE `database`.`table` body}
     */
    public String equivalentAlter() {
        return "ALTER TABLE " + qualifiedTable() + " " + alter;
    }

    /**
     * What {@code update-sql} shows for this change: an SQL comment saying that {@code update} runs it online
     * through ghost, then the equivalent ALTER, so that a reviewer sees both and a script run by hand still makes
     * the same schema change.
     *
     * @return the comment line and the ALTER, without a closing delimiter
     */
    public String preview() {
        return "-- ghost: " + changeName + " runs ONLINE on " + qualifiedTable()
                + " through ghost (ghost table, chunked copy, binlog replay, atomic cut-over); Liquibase update does"
                + " not send the statement below. Run by hand, it is a plain blocking ALTER:\n" + equivalentAlter();
    }

    /**
     * Runs the change online through ghost: commits Liquibase's open transaction (so that it holds no metadata lock
     * that the cut-over would wait for), then runs {@link dev.ghost.OnlineSchemaChange} with the server and user of
     * Liquibase's connection and the settings of {@link GhostLiquibaseConfiguration}.
     *
     * @param factory Liquibase's statement factory on its connection; not used: ghost opens its own connections
     * @throws DatabaseException when the password is missing, the server cannot be found in the JDBC URL, or ghost
     *                           refuses or fails the change; the message names the table and ghost's reason
     */
    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        OnlineAlterRunner.run(this, database);
    }

    @Override
    public String toString() {
        return changeName + " " + equivalentAlter();
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
