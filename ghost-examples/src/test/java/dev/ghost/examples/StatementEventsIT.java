package dev.ghost.examples;

import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changes to the migrated tables that reach the binlog as statements, not as row events, cannot be replayed: each
 * stops the migration before any cut-over, leaves the original as its writers left it and drops ghost's tables. The
 * cut-over's own renames, which reach the binlog while the stream runs, do not.
 */
@ExtendWith(RealServer.class)
class StatementEventsIT {

    private static final int ROWS = 3_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7").chunkSize(10);
    }

    /**
     * Starts a migration of {@code t} under four writers and holds it in the copy (throttled after some rows) or at
     * the cut-over (postponed), then stops the writers: the stream has just carried their row events.
     */
    private static RunningMigration startUnderLoad(TestDatabase db, boolean holdInCopy) throws Exception {
        MixedTable.create(db, "t", ROWS);
        RunningMigration migration = migrate(db).build().start();
        migration.postponeCutover();
        try (WriteLoad load = WriteLoad.start(db, "t", ROWS, 4)) {
            if (holdInCopy) {
                awaitRowsCopied(migration, 300);
                migration.throttle();
            } else {
                OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            }
            load.stop();
            assertThat(load.committed()).as("writes while the stream ran").isPositive();
        }
        if (holdInCopy) {
            assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);
        }
        return migration;
    }

    private static void awaitRowsCopied(RunningMigration migration, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (migration.status().rowsCopied() < rows) {
            assertThat(System.nanoTime()).as("rows copied in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The statement stops the migration: its message, the original as the statement left it, no ghost tables. */
    private static void assertStoppedBy(TestDatabase db, RunningMigration migration, String quoted, String table,
                                        List<List<String>> expected) {
        assertThatThrownBy(() -> migration.await(Duration.ofMinutes(1)))
                .isExactlyInstanceOf(MigrationFailedException.class)
                .hasMessageContainingAll(quoted, table, "reached the binlog as a statement",
                        "ghost cannot replay statements that are not row events", "original table is untouched",
                        "Run the migration again after the statement", "binlog_format=ROW in every session");
        assertThat(migration.status().state()).isEqualTo(MigrationState.FAILED);
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(expected);
    }

    @Test
    void truncateOfTheOriginalDuringTheCopyStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, true);
        db.execute("TRUNCATE TABLE t", "INSERT INTO t (name, created) VALUES ('after the truncate', NOW(6))");
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");
        assertThat(left).hasSize(1);

        assertStoppedBy(db, migration, "\"TRUNCATE TABLE t\"", "the original table `" + db.name() + "`.`t`", left);
    }

    @Test
    void statementFormatDmlOnTheOriginalStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, false);
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            // A row of its own: the writers may have deleted or moved any given id by now.
            statement.execute("INSERT INTO t (id, name, created) VALUES (900000000, 'for the statement', NOW(6))");
            statement.execute("SET SESSION binlog_format = 'STATEMENT'");
            statement.execute("UPDATE t SET note = 'changed by a statement' WHERE id >= 900000000");
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE note = 'changed by a statement'")).isPositive();
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");

        assertStoppedBy(db, migration, "UPDATE t SET note = 'changed by a statement' WHERE id >= 900000000", "`t`",
                left);
    }

    @Test
    void anAlterOfTheOriginalStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, true);
        db.execute("ALTER TABLE `" + db.name() + "`.t ADD COLUMN sneaky INT NULL");
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");

        assertStoppedBy(db, migration, "ADD COLUMN sneaky INT NULL", "the original table", left);
        assertThat(db.query("SHOW COLUMNS FROM t LIKE 'extra'")).as("nothing was cut over").isEmpty();
    }

    @Test
    void anOptimizeOfTheOriginalStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, false);
        db.execute("OPTIMIZE TABLE t");
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");

        assertStoppedBy(db, migration, "OPTIMIZE TABLE t", "the original table", left);
    }

    @Test
    void droppingTheGhostTableStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, false);
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");
        db.execute("DROP TABLE _t_gho");

        // MariaDB logs it as "DROP TABLE `_t_gho` /* generated by server */".
        assertStoppedBy(db, migration, "DROP TABLE `_t_gho`", "ghost's ghost table `" + db.name() + "`.`_t_gho`", left);
    }

    @Test
    void truncatingTheChangelogTableStopsTheMigration(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, true);
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");
        db.execute("/* maintenance */ TRUNCATE TABLE `" + db.name() + "`.`_t_ghc`");

        assertStoppedBy(db, migration, "TRUNCATE TABLE", "ghost's changelog table", left);
    }

    @Test
    void aRenameByAnyoneElseRightBeforeTheCutoverStopsIt(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, false);
        List<List<String>> left = db.contentOf("t", COLUMNS, "id");
        // A rename waits its turn behind the rows in the replay queue; the cut-over released right after it writes
        // its marker later in the binlog, so it must fail on the rename, not pass it as its own.
        db.execute("RENAME TABLE t TO t_moved, t_moved TO t");
        migration.unpostponeCutover();

        assertStoppedBy(db, migration, "RENAME TABLE t TO t_moved, t_moved TO t", "the original table", left);
        assertThat(db.query("SHOW COLUMNS FROM t LIKE 'extra'")).as("nothing was cut over").isEmpty();
    }

    @Test
    void aTruncateRightBeforeTheCutoverStopsIt(TestDatabase db) throws Exception {
        RunningMigration migration = startUnderLoad(db, false);
        db.execute("TRUNCATE TABLE t");
        migration.unpostponeCutover();

        assertStoppedBy(db, migration, "TRUNCATE TABLE t", "the original table", List.of());
    }

    @Test
    void theAtomicCutoversOwnRenameUnderWriteLoadIsAccepted(TestDatabase db) throws Exception {
        migrateUnderWriteLoad(db, CutoverStrategy.atomic());
    }

    @Test
    void theTwoStepCutoversOwnRenamesUnderWriteLoadAreAccepted(TestDatabase db) throws Exception {
        migrateUnderWriteLoad(db, CutoverStrategy.twoStep());
    }

    private static void migrateUnderWriteLoad(TestDatabase db, CutoverStrategy strategy) throws Exception {
        MixedTable.create(db, "t", ROWS);
        RunningMigration migration = migrate(db).cutoverStrategy(strategy).build().start();
        migration.postponeCutover();
        try (WriteLoad load = WriteLoad.start(db, "t", ROWS, 4)) {
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            Thread.sleep(300); // writes while the copy is done and the stream still applies them
            load.stop();
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(100);
        }
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.eventsApplied()).isPositive();
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(db.contentOf("_t_del", COLUMNS, "id"));
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE extra <> 7")).isZero();
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "_t_del");
    }
}
