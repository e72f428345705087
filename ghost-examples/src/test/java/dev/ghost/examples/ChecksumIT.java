package dev.ghost.examples;

import dev.ghost.DataLossException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.ThrottlePolicy;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checksum before the cut-over: a ghost table changed behind ghost's back is repaired from the original and cut
 * over identical, and one that cannot hold the original's rows stops the migration with nothing cut over.
 */
@ExtendWith(RealServer.class)
class ChecksumIT {

    private static final int ROWS = 2_000;
    private static final List<String> COLUMNS = List.of("id", "v", "n");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter(alter).chunkSize(50);
    }

    private static void createTable(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL, n INT NULL)");
        StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
        for (int id = 1; id <= ROWS; id++) {
            insert.append(id == 1 ? "" : ", ").append('(').append(id).append(", 'v").append(id).append("', ")
                    .append(id % 7 == 0 ? "NULL" : Integer.toString(id * 3)).append(')');
        }
        db.execute(insert.toString());
    }

    @Test
    void rowsChangedInTheGhostTableDuringTheCopyAreFoundAndCopiedAgain(TestDatabase db, @TempDir Path dir)
            throws Exception {
        createTable(db);
        Path hold = Files.createFile(dir.resolve("throttle.flag"));
        RunningMigration migration;
        long writes;
        try (StatementWriters writers = StatementWriters.start(db, 2, random -> {
            int id = 1 + random.nextInt(ROWS + 200);
            return switch (random.nextInt(3)) {
                case 0 -> "INSERT IGNORE INTO t VALUES (" + id + ", 'new', " + random.nextInt() + ")";
                case 1 -> "UPDATE t SET v = 'w" + random.nextInt(100) + "', n = NULL WHERE id = " + id;
                default -> "DELETE FROM t WHERE id = " + id;
            };
        })) {
            migration = migrate(db, "ADD COLUMN extra INT NOT NULL DEFAULT 0")
                    .throttlePolicy(ThrottlePolicy.flagFile(hold)).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
            // Behind ghost's back, before the copy reaches them: a row with other values under an existing key
            // (the copy's INSERT IGNORE keeps it), and rows past the original's last key (no copy or event removes them).
            db.execute("INSERT INTO _t_gho (id, v, n) VALUES (10, 'corrupt', -1), (1000000, 'extra', 1), "
                    + "(1000001, 'extra', 2)");
            migration.postponeCutover();
            Files.delete(hold);
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            writes = writers.writes();
        }
        migration.unpostponeCutover();
        migration.await(Duration.ofMinutes(1));

        assertThat(writes).isPositive();
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(db.contentOf("_t_del", COLUMNS, "id"));
    }

    @Test
    void aGhostTableChangedWhilePostponedIsCheckedAgainRightBeforeTheSwap(TestDatabase db) throws Exception {
        createTable(db);
        // Type and charset changes: the checksum compares under the new column types.
        RunningMigration migration = migrate(db, "MODIFY n BIGINT NULL, MODIFY v VARCHAR(40) CHARACTER SET latin1 "
                + "NOT NULL, ADD COLUMN extra INT NOT NULL DEFAULT 0").build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
        db.execute("UPDATE _t_gho SET v = 'changed' WHERE id = 5", "UPDATE _t_gho SET n = NULL WHERE id = 6",
                "DELETE FROM _t_gho WHERE id = 1500",
                "INSERT INTO _t_gho (id, v, n) VALUES (" + (ROWS + 1) + ", 'past the end', 0)");
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(1));

        assertThat(result.oldTable()).isPresent();
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(db.contentOf("_t_del", COLUMNS, "id"))
                .hasSize(ROWS);
    }

    @Test
    void aDuplicateOfACopiedRowOnANewUniqueKeyStopsBeforeTheCutover(TestDatabase db, @TempDir Path dir)
            throws Exception {
        createTable(db);
        Path hold = Files.createFile(dir.resolve("throttle.flag"));
        RunningMigration migration = migrate(db, "ADD UNIQUE KEY uk_v (v)")
                .throttlePolicy(ThrottlePolicy.flagFile(hold)).build().start();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
        migration.postponeCutover(); // so that the insert below comes before the last checksum
        Files.delete(hold);
        // The application inserts a duplicate of a row already copied: the original allows it, the new key cannot.
        // The replay's REPLACE would delete the copied row from the ghost table; the checksum must see it missing.
        awaitGhostRow(db, 3);
        db.execute("INSERT INTO t VALUES (" + (ROWS + 1) + ", 'v3', 1)");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        migration.unpostponeCutover();
        assertThatThrownBy(() -> migration.await(Duration.ofMinutes(2)))
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.getMessage())
                        .contains("`t`", "Duplicate entry 'v3' for key 'uk_v'", "Nothing was cut over"));
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void withoutTheChecksumTheReplayStillNeverDeletesAnotherRowOnANewUniqueKey(TestDatabase db, @TempDir Path dir)
            throws Exception {
        createTable(db);
        Path hold = Files.createFile(dir.resolve("throttle.flag"));
        RunningMigration migration = migrate(db, "ADD UNIQUE KEY uk_v (v)").checksum(false)
                .throttlePolicy(ThrottlePolicy.flagFile(hold)).build().start();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
        migration.postponeCutover();
        Files.delete(hold);
        awaitGhostRow(db, 3);
        db.execute("INSERT INTO t VALUES (" + (ROWS + 1) + ", 'v3', 1)");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        assertThatThrownBy(() -> migration.await(Duration.ofMinutes(2)))
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.getMessage())
                        .contains("`t`", "Duplicate entry 'v3' for key 'uk_v'"));
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void aUniqueKeyUnderACaseInsensitiveCollationLosesNoRowSilently(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(32) COLLATE utf8mb4_bin NOT NULL, "
                        + "UNIQUE KEY uk_email (email))",
                "INSERT INTO t VALUES (1, 'a@x'), (2, 'A@x'), (3, 'b@x'), (4, 'c@x'), (5, 'C@X')");
        List<List<String>> before = db.contentOf("t", "id");
        assertThatThrownBy(() -> migrate(db, "MODIFY email VARCHAR(32) COLLATE utf8mb4_general_ci NOT NULL")
                .build().run())
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.getMessage())
                        .contains("`t`", "Duplicate entry", "uk_email"));
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", "id")).isEqualTo(before);
    }

    @Test
    void theChecksumCanBeTurnedOff(TestDatabase db, @TempDir Path dir) throws Exception {
        createTable(db);
        Path hold = Files.createFile(dir.resolve("throttle.flag"));
        RunningMigration migration = migrate(db, "ADD COLUMN extra INT NOT NULL DEFAULT 0").checksum(false)
                .throttlePolicy(ThrottlePolicy.flagFile(hold)).build().start();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
        db.execute("INSERT INTO _t_gho (id, v, n) VALUES (1000000, 'unverified', 1)");
        Files.delete(hold);
        migration.await(Duration.ofMinutes(1));
        assertThat(db.queryLong("SELECT COUNT(*) FROM t")).isEqualTo(ROWS + 1);
    }

    private static void awaitGhostRow(TestDatabase db, int id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (db.queryLong("SELECT COUNT(*) FROM _t_gho WHERE id = " + id) == 0) {
            assertThat(System.nanoTime()).as("row %d copied in time", id).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
