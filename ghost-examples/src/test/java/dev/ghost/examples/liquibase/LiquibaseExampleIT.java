package dev.ghost.examples.liquibase;

import dev.ghost.internal.check.MigrationLock;
import dev.ghost.liquibase.OnlineAlterStatement;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ghost.examples.liquibase.LiquibaseExample.CHANGELOG;
import static dev.ghost.examples.liquibase.LiquibaseExample.STANDARD_CHANGESETS;
import static dev.ghost.examples.liquibase.LiquibaseExample.fill;
import static dev.ghost.examples.liquibase.LiquibaseExample.rollbackCount;
import static dev.ghost.examples.liquibase.LiquibaseExample.showCreateTable;
import static dev.ghost.examples.liquibase.LiquibaseExample.update;
import static dev.ghost.examples.liquibase.LiquibaseExample.updateCount;
import static dev.ghost.examples.liquibase.LiquibaseExample.updateSql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Liquibase example's changelog, run by Liquibase's own commands on a real server: every {@code ghost:} change
 * runs online while writers hit the table, without changing a byte of the rows; Liquibase's bookkeeping, rollback,
 * {@code update-sql} and lock keep working; refused changes fail the update and leave nothing behind.
 */
@ExtendWith(RealServer.class)
class LiquibaseExampleIT {

    private static final int ROWS = 3000;
    /** The columns of the first changeset that no later one drops: their bytes must never change. */
    private static final List<String> KEPT_COLUMNS =
            List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final String PREPARED_STATEMENT_WARNING = "WARNING: This statement uses a prepared statement";

    private static Map<String, Object> ghostSettings(TestDatabase db) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("liquibase.ghost.password", db.server().password());
        settings.put("liquibase.ghost.chunkSize", 50);
        return settings;
    }

    @Test
    void updateRunsEveryGhostChangeOnlineWhileWritersHitTheTable(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Path postpone = Files.createFile(dir.resolve("postpone-cutover"));
        Map<String, Object> settings = ghostSettings(db);
        settings.put("liquibase.ghost.keepOldTable", true);
        settings.put("liquibase.ghost.postponeCutoverFlagFile", postpone.toString());
        List<List<String>> rowsWhenWritersStopped;
        try (Connection connection = db.connect()) {
            updateCount(connection, settings, CHANGELOG, STANDARD_CHANGESETS);
            fill(connection, ROWS);

            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3);
            CompletableFuture<Void> liquibase;
            try {
                liquibase = CompletableFuture.runAsync(() -> {
                    try {
                        update(connection, settings, CHANGELOG);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The first online change copies and replays while the writers write, then waits at its cut-over.
                awaitTable(db, "_orders_gho", liquibase);
                Thread.sleep(1000);
                assertThat(liquibase).isNotDone();
            } finally {
                load.stop();
            }
            assertThat(load.committed()).as("writes during the online change").isGreaterThan(50);
            rowsWhenWritersStopped = db.contentOf("orders", KEPT_COLUMNS, "id");
            Files.delete(postpone);
            liquibase.get(5, TimeUnit.MINUTES);
        }

        // Not a byte changed: the table after all online changes holds exactly the rows the writers left.
        assertThat(db.contentOf("orders", KEPT_COLUMNS, "id")).isEqualTo(rowsWhenWritersStopped);
        // keepOldTable: the table as it was before the last online change, byte-equal on the shared columns.
        List<String> shared = List.of("id", "name", "note", "amount", "created", "payload", "flags", "shipped_at");
        assertThat(db.contentOf("_orders_del", shared, "id")).isEqualTo(db.contentOf("orders", shared, "id"));
        assertThat(db.tables()).containsExactlyInAnyOrder("DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "orders",
                "_orders_del");

        String schema = schema(db);
        assertThat(schema).contains("`name` varchar(128)", "`note` mediumtext", "`shipped_at` datetime",
                "KEY `idx_orders_created` (`created`)", "`status` varchar(16) NOT NULL DEFAULT 'new'")
                .doesNotContain("legacy_code");
        List<List<String>> history = changelogHistory(db);
        assertThat(history).containsExactly(row("1-create-orders"), row("2-drop-legacy-code"), row("3-raw-alter"),
                row("4-note-mediumtext"), row("5-index-created"), row("6-add-status"));
        assertThat(lockedRows(db)).isZero();

        // A second update is a no-op: nothing to run, so it does not even need ghost's password.
        try (Connection connection = db.connect()) {
            update(connection, Map.of(), CHANGELOG);
        }
        assertThat(changelogHistory(db)).isEqualTo(history);
        assertThat(schema(db)).isEqualTo(schema);
        assertThat(db.contentOf("orders", KEPT_COLUMNS, "id")).isEqualTo(rowsWhenWritersStopped);
        assertThat(lockedRows(db)).isZero();
    }

    @Test
    void rollbackRunsTheInverseChangesOnlineAndRestoresTheSchema(TestDatabase db) throws Exception {
        Map<String, Object> settings = ghostSettings(db);
        settings.put("liquibase.ghost.keepOldTable", true);
        String before;
        List<List<String>> rows;
        try (Connection connection = db.connect()) {
            updateCount(connection, settings, CHANGELOG, STANDARD_CHANGESETS);
            fill(connection, ROWS);
            updateCount(connection, settings, CHANGELOG, 3);
            before = showCreateTable(connection, "orders");
            rows = db.contentOf("orders", KEPT_COLUMNS, "id");
            update(connection, settings, CHANGELOG);
            assertThat(showCreateTable(connection, "orders")).isNotEqualTo(before);

            // createIndexOnline and addColumnOnline roll back by themselves: dropColumnOnline, dropIndexOnline.
            String orders = "`" + db.name() + "`.`orders`";
            assertThat(rollbackCountSql(connection, CHANGELOG, 2)).contains(
                    "-- ghost: dropColumnOnline runs ONLINE on " + orders,
                    "ALTER TABLE " + orders + " DROP COLUMN status;",
                    "-- ghost: dropIndexOnline runs ONLINE on " + orders,
                    "ALTER TABLE " + orders + " DROP INDEX idx_orders_created;")
                    .doesNotContain(PREPARED_STATEMENT_WARNING);
            rollbackCount(connection, settings, CHANGELOG, 2);
            assertThat(showCreateTable(connection, "orders")).isEqualTo(before);
        }
        assertThat(db.contentOf("orders", KEPT_COLUMNS, "id")).isEqualTo(rows);
        // The last rollback step ran through ghost: its old table is the one with the index and without status.
        assertThat(schema(db, "_orders_del")).contains("idx_orders_created").doesNotContain("`status`");
        assertThat(changelogHistory(db)).containsExactly(row("1-create-orders"), row("2-drop-legacy-code"),
                row("3-raw-alter"), row("4-note-mediumtext"));
        assertThat(lockedRows(db)).isZero();
        assertThat(db.tables()).noneMatch(table -> table.endsWith("_gho") || table.endsWith("_ghc"));
    }

    @Test
    void updateSqlShowsTheOnlineChangesAsACommentAndTheirAlter(TestDatabase db) throws Exception {
        String sql;
        try (Connection connection = db.connect()) {
            sql = updateSql(connection, CHANGELOG);
        }
        String orders = "`" + db.name() + "`.`orders`";
        assertThat(sql).contains("CREATE TABLE " + db.name() + ".orders",
                "-- ghost: dropColumnOnline runs ONLINE on " + orders + " through ghost",
                "ALTER TABLE " + orders + " DROP COLUMN legacy_code;",
                "ALTER TABLE " + orders + " MODIFY name VARCHAR(128) NOT NULL, ADD COLUMN shipped_at DATETIME NULL;",
                "ALTER TABLE " + orders + " MODIFY note MEDIUMTEXT;",
                "ALTER TABLE " + orders + " ADD INDEX idx_orders_created (created);",
                "-- ghost: addColumnOnline runs ONLINE on " + orders,
                "ALTER TABLE " + orders + " ADD status VARCHAR(16) DEFAULT 'new' NOT NULL;")
                .doesNotContain(PREPARED_STATEMENT_WARNING);
        assertThat(db.tables()).doesNotContain("orders");
    }

    @Test
    void aTableWithoutKeyFailsTheUpdateWithGhostsReasonAndLeavesNothingBehind(TestDatabase db) throws Exception {
        assertRefused(db, "dev/ghost/examples/liquibase/no-key.xml", List.of(row("1-create-events")),
                "addColumnOnline on `" + db.name() + "`.`events`", "no PRIMARY nor UNIQUE key found",
                "add a primary key first");
    }

    @Test
    void anAlterTheServerRefusesFailsTheUpdateAndLeavesNothingBehind(TestDatabase db) throws Exception {
        assertRefused(db, "dev/ghost/examples/liquibase/bad-alter.xml", List.of(row("1-create-events")),
                "alterTableOnline on `" + db.name() + "`.`events`", "NOT_A_TYPE");
    }

    @Test
    void anAlterThatIsNotOneAlterBodyFailsValidationBeforeAnythingRuns(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> update(connection, ghostSettings(db),
                    "dev/ghost/examples/liquibase/two-statements.xml"))
                    .satisfies(e -> assertThat(messages(e)).contains("alterTableOnline on table events",
                            "more than one statement", "use one change per statement"));
        }
        assertThat(db.tables()).doesNotContain("events").noneMatch(table -> table.startsWith("_"));
        assertThat(lockedRows(db)).isZero();
    }

    @Test
    void aMissingPasswordFailsTheUpdateSayingHowToSetIt(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            updateCount(connection, Map.of(), CHANGELOG, STANDARD_CHANGESETS);
            fill(connection, 100);
            assertThatThrownBy(() -> update(connection, Map.of(), CHANGELOG))
                    .satisfies(e -> assertThat(messages(e)).contains(
                            "dropColumnOnline on `" + db.name() + "`.`orders`", "no password",
                            "liquibase.ghost.password", "LIQUIBASE_GHOST_PASSWORD", "Nothing was changed"));
        }
        assertThat(changelogHistory(db)).containsExactly(row("1-create-orders"));
        assertThat(db.tables()).containsExactlyInAnyOrder("DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "orders");
        assertThat(lockedRows(db)).isZero();

        // Fixed as the message says (here: the system property), the same update goes on where it stopped.
        System.setProperty("liquibase.ghost.password", db.server().password());
        try (Connection connection = db.connect()) {
            update(connection, Map.of(), CHANGELOG);
        } finally {
            System.clearProperty("liquibase.ghost.password");
        }
        assertThat(changelogHistory(db)).hasSize(6);
    }

    @Test
    void theChangesWorkFromAYamlChangelogToo(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            update(connection, ghostSettings(db), "dev/ghost/examples/liquibase/changelog.yaml");
            assertThat(showCreateTable(connection, "events")).contains("`c` int(11) DEFAULT 7", "KEY `idx_b` (`b`)");
        }
        assertThat(changelogHistory(db)).containsExactly(row("1-create-events"), row("2-add-column"),
                row("3-raw-alter"));
        assertThat(db.tables()).containsExactlyInAnyOrder("DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "events");
    }

    @Test
    void anOpenTransactionOnLiquibasesConnectionDoesNotHoldUpTheCutover(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE events (id INT PRIMARY KEY, b VARCHAR(16))", "INSERT INTO events VALUES (1, 'x')");
        try (Connection connection = db.connect()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // A read in an open transaction on Liquibase's connection (a precondition, an earlier statement of the
            // changeset, with autocommit off) holds a metadata lock on the table that the cut-over's RENAME needs.
            connection.setAutoCommit(false);
            try (Statement read = connection.createStatement()) {
                read.executeQuery("SELECT COUNT(*) FROM events").close();
            }
            OnlineAlterStatement statement =
                    new OnlineAlterStatement("alterTableOnline", db.name(), "events", "ADD COLUMN c INT", database);
            CompletableFuture<Void> online = CompletableFuture.runAsync(() -> {
                try {
                    Scope.child(new HashMap<>(ghostSettings(db)), () -> statement.execute(null));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            online.get(60, TimeUnit.SECONDS);
        }
        assertThat(db.query("SELECT id, b, c FROM events")).containsExactly(Arrays.asList("1", "x", null));
    }

    private static void assertRefused(TestDatabase db, String changelog, List<List<String>> ran, String... reason)
            throws Exception {
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> update(connection, ghostSettings(db), changelog))
                    .satisfies(e -> assertThat(messages(e)).contains(reason));
        }
        assertThat(changelogHistory(db)).isEqualTo(ran);
        assertThat(db.tables()).containsExactlyInAnyOrder("DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "events");
        assertThat(lockedRows(db)).as("Liquibase's changelog lock").isZero();
        assertThat(db.query("SELECT IS_FREE_LOCK('" + MigrationLock.name(new TableName(db.name(), "events")) + "')"))
                .as("ghost's migration lock").containsExactly(List.of("1"));
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.processlist WHERE db = '" + db.name()
                + "' AND id <> CONNECTION_ID()")).as("connections left open").containsExactly(List.of("0"));
    }

    /** Liquibase's {@code rollback-count-sql}: the SQL that {@code rollback-count} would run, changing nothing. */
    private static String rollbackCountSql(Connection connection, String changelog, int count) throws Exception {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CommandScope(RollbackCountSqlCommandStep.COMMAND_NAME)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, changelog)
                .addArgumentValue(RollbackCountSqlCommandStep.COUNT_ARG, count)
                .setOutput(out)
                .execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void awaitTable(TestDatabase db, String table, CompletableFuture<Void> liquibase)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!db.tables().contains(table)) {
            if (liquibase.isDone()) {
                liquibase.get(); // throws the failure
                throw new AssertionError("Liquibase finished before " + table + " appeared");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + table + " within 2 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static String schema(TestDatabase db) {
        return schema(db, "orders");
    }

    private static String schema(TestDatabase db, String table) {
        return db.query("SHOW CREATE TABLE `" + table + "`").get(0).get(1);
    }

    private static List<List<String>> changelogHistory(TestDatabase db) {
        return db.query("SELECT ID, COUNT(*), MIN(EXECTYPE) FROM DATABASECHANGELOG GROUP BY ID ORDER BY ID");
    }

    private static List<String> row(String id) {
        return List.of(id, "1", "EXECUTED");
    }

    private static long lockedRows(TestDatabase db) {
        return db.queryLong("SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = 1");
    }

    /** Every message of the exception's chain: Liquibase wraps ghost's reason a few times. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
