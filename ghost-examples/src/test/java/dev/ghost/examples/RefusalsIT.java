package dev.ghost.examples;

import dev.ghost.GhostException;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.MigrationState;
import dev.ghost.RunningMigration;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALTERs that would lose data, and tables that cannot be swapped safely, are refused before anything is created;
 * approved renames carry the data over. Every refusal leaves no table, lock or connection behind.
 */
@ExtendWith(RealServer.class)
class RefusalsIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String table, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table(table).alter(alter);
    }

    private static void assertRefused(TestDatabase db, OnlineSchemaChange.Builder builder, String check,
                                      String... messageParts) {
        List<String> tablesBefore = db.tables();
        long connectionsBefore = connections(db);
        assertThatThrownBy(() -> builder.build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> {
                    assertThat(e.check()).isEqualTo(check);
                    assertThat(e.table()).isEqualTo(db.name() + ".t");
                })
                .hasMessageContainingAll(messageParts);
        assertThat(db.tables()).isEqualTo(tablesBefore);
        assertThat(connectionsSettle(db, connectionsBefore)).as("connections left open")
                .isLessThanOrEqualTo(connectionsBefore);
        assertThat(db.query("SELECT IS_USED_LOCK('" + MigrationLock.name(new TableName(db.name(), "t")) + "')"))
                .as("the advisory lock is released").containsExactly(java.util.Collections.singletonList(null));
    }

    /**
     * The connection count once closed sessions are gone: the server ends a session shortly after the client closes
     * it, so a count taken at once may still show one. A leaked connection never goes away and still fails.
     */
    static long connectionsSettle(TestDatabase db, long expectedAtMost) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long count = connections(db);
        while (count > expectedAtMost && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            count = connections(db);
        }
        return count;
    }

    /** Connections of our test user other than the one asking (the fixture's own helpers open and close theirs). */
    static long connections(TestDatabase db) {
        return db.queryLong("SELECT COUNT(*) - 1 FROM information_schema.PROCESSLIST WHERE USER = '"
                + db.server().user() + "' AND COMMAND <> 'Daemon'");
    }

    @Test
    void refusesARenameOfTheTable(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        assertRefused(db, migrate(db, "t", "RENAME AS something_else"), "alter-renames-table",
                "alter statement seems to RENAME the table", "`t`");
    }

    @Test
    void refusesUnconfirmedColumnRenames(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, c2 INT NOT NULL)");
        assertRefused(db, migrate(db, "t", "CHANGE COLUMN c2 c3 INT NOT NULL"), "renamed-columns",
                "c2 -> c3", "--approve-renamed-columns", "--skip-renamed-columns");
    }

    @Test
    void refusesForeignKeysOnEitherSide(TestDatabase db) {
        db.execute("CREATE TABLE parent (id INT PRIMARY KEY)",
                "CREATE TABLE t (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id))");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "foreign-keys",
                "Child-side foreign keys are not supported. Bailing out", "--discard-foreign-keys");
        db.execute("DROP TABLE t", "CREATE TABLE t (id INT PRIMARY KEY)",
                "CREATE TABLE child (id INT PRIMARY KEY, t_id INT, FOREIGN KEY (t_id) REFERENCES t (id))");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT").discardForeignKeys(true), "foreign-keys",
                "Parent-side foreign keys are not supported");
    }

    @Test
    void refusesATableWithoutAUsableKeyAndAnAlterThatRemovesIt(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT NOT NULL, KEY (id))");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "unique-key",
                "no PRIMARY nor UNIQUE key found in table `");
        db.execute("DROP TABLE t", "CREATE TABLE t (id INT NULL, UNIQUE KEY (id))");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "unique-key",
                "no shared unique key can be found", "NULLable");
        db.execute("DROP TABLE t", "CREATE TABLE t (f FLOAT NOT NULL, UNIQUE KEY uk_f (f))");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "unique-key",
                "no shared unique key can be found", "uk_f", "FLOAT");
        db.execute("DROP TABLE t", "CREATE TABLE t (id INT PRIMARY KEY)");
        assertRefused(db, migrate(db, "t", "CHANGE id id INT, DROP PRIMARY KEY"), "ghost-unique-key",
                "no PRIMARY nor UNIQUE key found in table", "_t_gho");
        db.execute("DROP TABLE t", "CREATE TABLE t (id INT PRIMARY KEY, f FLOAT NOT NULL)");
        assertRefused(db, migrate(db, "t", "DROP PRIMARY KEY, ADD UNIQUE KEY uk_f (f)"), "ghost-unique-key",
                "no shared unique key can be found after ALTER", "uk_f");
    }

    @Test
    void refusesAnAlterTheServerRejectsWithItsMessage(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT DEFAULT 'not a number'"), "alter",
                "Invalid default value for 'x'");
    }

    @Test
    void refusesAMissingTable(TestDatabase db) {
        assertThatThrownBy(() -> migrate(db, "t", "ADD COLUMN x INT").build().run())
                .isInstanceOf(GhostException.class).hasMessageContaining("does not exist");
        assertThat(db.tables()).isEmpty();
    }

    @Test
    void approvedRenamesCarryTheValuesAndDroppedColumnsStartAfresh(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, c2 VARCHAR(10) NOT NULL, c4 INT NULL)",
                "INSERT INTO t VALUES (1, 'one', NULL), (2, 'two', 5)");
        SchemaChangeResult result = migrate(db, "t",
                "CHANGE COLUMN c2 c3 VARCHAR(10) NOT NULL, DROP COLUMN c4, ADD COLUMN c4 INT NOT NULL DEFAULT 47")
                .approveRenamedColumns(true).build().run();
        assertThat(result.rowsCopied()).isEqualTo(2);
        assertThat(db.query("SELECT id, c3, c4 FROM t ORDER BY id"))
                .containsExactly(List.of("1", "one", "47"), List.of("2", "two", "47"));
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "_t_del");
    }

    @Test
    void aDryRunChangesNothing(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        SchemaChangeResult result = migrate(db, "t", "ADD COLUMN x INT").dryRun(true).build().run();
        assertThat(result.dryRun()).isTrue();
        assertThat(result.oldTable()).isEmpty();
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.query("SHOW CREATE TABLE t").get(0).get(1)).doesNotContain("`x`");
    }

    @Test
    void refusesTablesWithTriggers(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT)",
                "CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "triggers", "t_bump", "found triggers on",
                "--include-triggers");
    }

    @Test
    void aNullableUniqueKeyNeedsPermission(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT NULL, v INT, UNIQUE KEY uk (id))", "INSERT INTO t VALUES (1, 1), (2, 2)");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "unique-key",
                "no shared unique key can be found", "--allow-nullable-unique-key");
        SchemaChangeResult result = migrate(db, "t", "ADD COLUMN x INT").allowNullableUniqueKey(true).build().run();
        assertThat(result.rowsCopied()).isEqualTo(2);
        assertThat(db.query("SELECT id, v FROM t ORDER BY id")).containsExactly(List.of("1", "1"), List.of("2", "2"));
        // Rows sharing a NULL in the key cannot be told apart by it: only the checksum proves them.
        db.execute("DROP TABLE _t_del");
        assertRefused(db, migrate(db, "t", "ADD COLUMN y INT").allowNullableUniqueKey(true).checksum(false),
                "nullable-unique-key", "allows NULL", "Turn the checksum on");
    }

    @Test
    void namesTheMissingGrants(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)",
                "CREATE USER IF NOT EXISTS 'ghost_limited'@'127.0.0.1' IDENTIFIED BY 'pw'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX ON `" + db.name()
                        + "`.* TO 'ghost_limited'@'127.0.0.1'");
        try {
            OnlineSchemaChange.Builder limited = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), "ghost_limited", "pw")
                    .database(db.name()).table("t").alter("ADD COLUMN x INT");
            assertRefused(db, limited, "privileges", "LOCK TABLES ON `" + db.name() + "`.*",
                    "REPLICATION SLAVE ON *.*", "REPLICATION CLIENT ON *.*");
        } finally {
            db.execute("DROP USER 'ghost_limited'@'127.0.0.1'");
        }
    }

    @Test
    void refusesASecondMigrationOfTheSameTable(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
        RunningMigration first = migrate(db, "t", "ADD COLUMN x INT").build().start();
        first.postponeCutover();
        OnlineMigrationIT.awaitState(first, MigrationState.POSTPONED, java.time.Duration.ofSeconds(30));
        List<String> tables = db.tables();
        assertThatThrownBy(() -> migrate(db, "t", "ADD COLUMN y INT").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("single-migration"))
                .hasMessageContaining("another migration of");
        assertThat(db.tables()).isEqualTo(tables);
        first.unpostponeCutover();
        first.await();
        assertThat(db.query("SELECT IS_USED_LOCK('" + MigrationLock.name(new TableName(db.name(), "t")) + "')"))
                .containsExactly(java.util.Collections.singletonList(null));
    }

    @Test
    void aWrongPasswordOrAnUnreachableServerIsAClearConnectionError(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        assertThatThrownBy(() -> OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), "wrong")
                .database(db.name()).table("t").alter("ADD COLUMN x INT").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("connection"))
                .hasMessageContainingAll("Access denied", "check the host, port, user and password");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> OnlineSchemaChange.builder()
                .connection("127.0.0.1", closedPort, "u", "p")
                .database(db.name()).table("t").alter("ADD COLUMN x INT").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("connection"))
                .hasMessageContaining("127.0.0.1:" + closedPort);
        assertThat(db.tables()).containsExactly("t");
    }

    @Test
    void migratesNamesThatNeedQuoting(TestServer server) {
        try (TestDatabase db = server.createDatabase("quote")) {
            String table = "we`ird tä ble ß";
            db.execute("CREATE TABLE `we``ird tä ble ß` (`select` INT PRIMARY KEY, `from` VARCHAR(8), "
                    + "`col umn` INT)", "INSERT INTO `we``ird tä ble ß` VALUES (1, 'a', 2), (2, 'b', 3)");
            List<List<String>> before = db.contentOf(table, "`select`");
            SchemaChangeResult result = OnlineSchemaChange.builder()
                    .connection(server.host(), server.port(), server.user(), server.password())
                    .database(db.name()).table(table).alter("ADD COLUMN `order` INT DEFAULT 5, "
                            + "CHANGE `col umn` `col umn` BIGINT")
                    .build().run();
            assertThat(result.oldTable()).contains(db.name() + "._" + table + "_del");
            assertThat(db.contentOf(table, List.of("select", "from", "col umn"), "`select`")).isEqualTo(before);
        }
    }

    @Test
    void refusesViewsAndOtherEngines(TestDatabase db) {
        db.execute("CREATE TABLE base (id INT PRIMARY KEY)", "CREATE VIEW t AS SELECT id FROM base");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "base-table", "VIEW", "only base tables");
        db.execute("DROP VIEW t", "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=MyISAM");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "innodb", "MyISAM", "ENGINE=InnoDB");
    }

    @Test
    void refusesLeftoversUnlessToldToDropThem(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE _t_gho (id INT PRIMARY KEY)",
                "CREATE TABLE _t_del (id INT PRIMARY KEY)");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "leftover-tables", "`_t_gho` already exists",
                "--initially-drop-ghost-table");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT").initiallyDropGhostTable(true), "leftover-tables",
                "`_t_del` already exists", "--initially-drop-old-table");
        migrate(db, "t", "ADD COLUMN x INT").initiallyDropGhostTable(true).initiallyDropOldTable(true).build().run();
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "_t_del");
    }

    @Test
    void refusesALeftoverCutoverSentryUnlessToldToDropTheOldTable(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)",
                "CREATE TABLE t_gcs (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) COMMENT='ghost-cut-over-sentry'");
        assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "leftover-tables", "`t_gcs` already exists",
                "sentry", "--initially-drop-old-table");
        migrate(db, "t", "ADD COLUMN x INT").initiallyDropOldTable(true).okToDropTable(true).build().run();
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.query("SELECT id, x FROM t")).containsExactly(java.util.Arrays.asList("1", null));
    }

    @Test
    void refusesAlterTextItCannotReadOrThatNamesMissingColumnsOrSharesNoKey(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)");
        assertRefused(db, migrate(db, "t", "ADD COLUMN c VARCHAR(5) DEFAULT 'oops"), "alter-syntax", "unterminated");
        assertRefused(db, migrate(db, "t", "CHANGE nope other INT").approveRenamedColumns(true), "alter-columns",
                "`nope`", "no such column");
        assertRefused(db, migrate(db, "t", "DROP PRIMARY KEY, ADD PRIMARY KEY (v)"), "shared-unique-key",
                "no shared unique key can be found after ALTER");
    }

    @Test
    void refusesConvertingAKeyColumnFromDatetimeToTimestamp(TestDatabase db) {
        db.execute("CREATE TABLE t (dt DATETIME NOT NULL, n INT NOT NULL, PRIMARY KEY (dt, n))",
                "INSERT INTO t VALUES ('2020-01-01 10:00:00', 1)");
        List<List<String>> before = db.contentOf("t", "dt, n");
        assertRefused(db, migrate(db, "t", "MODIFY dt TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"),
                "datetime-to-timestamp-key", "no support at this time for converting a column from DATETIME to "
                        + "TIMESTAMP that is also part of the chosen unique key", "`dt`", "`PRIMARY`");
        assertThat(db.contentOf("t", "dt, n")).isEqualTo(before);
    }

    @Test
    void refusesAnUnknownDatabase(TestDatabase db) {
        assertThatThrownBy(() -> OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database("no_such_database_here").table("t").alter("ADD COLUMN x INT").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("database-exists"))
                .hasMessageContainingAll("`no_such_database_here` does not exist", "--database");
    }

    @Test
    void refusesABinlogThatIsNotRowBasedWithFullImages(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        try {
            db.execute("SET GLOBAL binlog_format = 'STATEMENT'");
            assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "binlog", "binlog_format is STATEMENT",
                    "binlog_format='ROW'");
        } finally {
            db.execute("SET GLOBAL binlog_format = 'ROW'");
        }
        try {
            db.execute("SET GLOBAL binlog_row_image = 'MINIMAL'");
            assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "binlog", "binlog_row_image is MINIMAL",
                    "binlog_row_image='FULL'");
        } finally {
            db.execute("SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void refusesAServerWithTheBinlogOff(TestServer shared) {
        org.junit.jupiter.api.Assumptions.assumeTrue(shared.kind() != TestServer.Kind.EXTERNAL,
                "an external server cannot be restarted without its binlog");
        try (TestServer server = TestServer.start(shared.kind(), List.of("--skip-log-bin"));
             TestDatabase db = server.createDatabase("nobinlog")) {
            db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            assertRefused(db, migrate(db, "t", "ADD COLUMN x INT"), "binlog", "the binary log is off", "--log-bin");
        }
    }

    @Test
    void migratesATableWhoseNameIsAsLongAsTheGhostNameAllows(TestDatabase db) {
        String name = "t".repeat(59);
        db.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY)", "INSERT INTO " + name + " VALUES (1), (2)");
        SchemaChangeResult result = OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table(name).alter("ADD COLUMN x INT").build().run();
        assertThat(result.oldTable()).contains(db.name() + "._" + name + "_del");
        assertThat(db.tables()).containsExactlyInAnyOrder(name, "_" + name + "_del");
    }
}
