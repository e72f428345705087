package dev.ghost.examples.liquibase;

import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Liquibase with ghost: a changelog ({@value #CHANGELOG}) that creates a table with standard changes, then changes
 * it online with ghost's change types ({@code ghost:dropColumnOnline}, a raw {@code ghost:alterTableOnline},
 * {@code ghost:modifyDataTypeOnline}, {@code ghost:createIndexOnline}, {@code ghost:addColumnOnline}), and rolls the
 * last changeset back, online too. {@code main} runs it on an embedded MariaDB; the methods run Liquibase's commands
 * on any connection.
 */
public final class LiquibaseExample {

    /** The example changelog, a classpath resource. */
    public static final String CHANGELOG = "dev/ghost/examples/liquibase/changelog.xml";
    /** How many changesets of {@link #CHANGELOG} make the table with standard changes. */
    public static final int STANDARD_CHANGESETS = 1;

    private LiquibaseExample() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.ch.vorburger", "warn");
        try (TestServer server = TestServer.start(TestServer.Kind.EMBEDDED)) {
            TestDatabase db = server.createDatabase("liquibase");
            Map<String, Object> ghost = Map.of("liquibase.ghost.password", server.password(),
                    "liquibase.ghost.chunkSize", 500);
            try (Connection connection = db.connect()) {
                updateCount(connection, ghost, CHANGELOG, STANDARD_CHANGESETS);
                fill(connection, 10_000);
                System.out.println("update-sql shows the online changes as:\n" + updateSql(connection, CHANGELOG));
                update(connection, ghost, CHANGELOG);
                System.out.println("after update: " + showCreateTable(connection, "orders"));
                rollbackCount(connection, ghost, CHANGELOG, 1);
                System.out.println("after rolling back the last changeset: " + showCreateTable(connection, "orders"));
            }
        }
    }

    // region liquibase-update
    /**
     * Liquibase's {@code update} on a JDBC connection. ghost's changes open their own connections to the same
     * server: {@code ghostSettings} holds their password (and other {@code liquibase.ghost.*} settings), set here as
     * values of Liquibase's scope; a system property or LIQUIBASE_GHOST_PASSWORD would do as well.
     */
    public static void update(Connection connection, Map<String, ?> ghostSettings, String changelog)
            throws Exception {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Scope.child(new HashMap<>(ghostSettings), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                .execute());
    }
    // endregion liquibase-update

    /** Liquibase's {@code update-count}: the first {@code count} changesets that have not run. */
    public static void updateCount(Connection connection, Map<String, ?> ghostSettings, String changelog, int count)
            throws Exception {
        Database database = database(connection);
        Scope.child(new HashMap<>(ghostSettings), () -> new CommandScope(UpdateCountCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(UpdateCountCommandStep.CHANGELOG_FILE_ARG, changelog)
                .addArgumentValue(UpdateCountCommandStep.COUNT_ARG, count)
                .execute());
    }

    /** Liquibase's {@code rollback-count}: undoes the last {@code count} changesets, online where they were. */
    public static void rollbackCount(Connection connection, Map<String, ?> ghostSettings, String changelog,
                                     int count) throws Exception {
        Database database = database(connection);
        Scope.child(new HashMap<>(ghostSettings), () -> new CommandScope(RollbackCountCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, changelog)
                .addArgumentValue(RollbackCountCommandStep.COUNT_ARG, count)
                .execute());
    }

    /** Liquibase's {@code update-sql}: the SQL that {@code update} would run, changing nothing. */
    public static String updateSql(Connection connection, String changelog) throws Exception {
        Database database = database(connection);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CommandScope(UpdateSqlCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(UpdateSqlCommandStep.CHANGELOG_FILE_ARG, changelog)
                .setOutput(out)
                .execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Fills {@code orders} with {@code rows} rows of mixed types (emoji, NULLs, DECIMAL, DATETIME(6), BLOB). */
    public static void fill(Connection connection, int rows) throws SQLException {
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO orders (id, name, note, amount, created, payload, flags, legacy_code) "
                    + "SELECT n, CONCAT('name-', n, IF(n % 7 = 0, ' 😀 ünïcödé', '')), "
                    + "IF(n % 3 = 0, NULL, REPEAT(CONCAT('note ', n, ' '), 1 + n % 5)), "
                    + "IF(n % 11 = 0, NULL, (n * 37 % 100000) / 7), "
                    + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n SECOND + INTERVAL (n % 999999) MICROSECOND, "
                    + "IF(n % 4 = 0, NULL, UNHEX(SHA2(n, 256))), n % 256, CONCAT('L', n % 1000) "
                    + "FROM (SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n FROM "
                    + digits + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits + " f) numbers "
                    + "WHERE n <= " + rows);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /** {@code SHOW CREATE TABLE}, the table's whole schema as the server sees it. */
    public static String showCreateTable(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             var result = statement.executeQuery("SHOW CREATE TABLE `" + table + "`")) {
            result.next();
            return result.getString(2);
        }
    }

    private static Database database(Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

}
