package dev.ghost.examples;

import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gh-ost's {@code --analyze-ghost-table-before-cutover} ({@code analyzeGhostTableBeforeCutover}): the ANALYZE runs on
 * the ghost table after the postponement and before the swap (seen in the binlog, in that order), under writes, and
 * the migration completes; an ANALYZE that fails (here: a stranger holds the ghost table, which the server reports as
 * an error row, not as an error of the statement) stops the migration before any cut-over, leaving nothing behind.
 */
@Tag("slow")
@ExtendWith(RealServer.class)
class AnalyzeBeforeCutoverIT {

    private static final int ROWS = 3_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, Path postpone, List<StateChange> states) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT")
                .chunkSize(100)
                .cutoverLockTimeout(Duration.ofSeconds(1))
                .postponeCutoverFlagFile(postpone)
                .analyzeGhostTableBeforeCutover(true)
                .listener(new MigrationListener() {
                    @Override
                    public void stateChanged(StateChange change) {
                        states.add(change);
                    }
                });
    }

    @Test
    void analyzesTheGhostTableRightBeforeTheCutover(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        InstantDdlIT.BinlogPosition start = InstantDdlIT.BinlogPosition.of(db);
        List<StateChange> states = new CopyOnWriteArrayList<>();
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3);
        RunningMigration migration;
        try {
            migration = migrate(db, postpone, states).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            assertThat(load.committed()).isPositive();
        } finally {
            load.stop();
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.oldTable()).contains(db.name() + "._orders_del");
        List<String> statements = start.statementsSince(db);
        String analyze = "ANALYZE TABLE `" + db.name() + "`.`_orders_gho`";
        assertThat(statements).filteredOn(sql -> sql.contains(analyze)).hasSize(1);
        int analyzed = indexOfFirst(statements, analyze);
        int swapped = indexOfFirst(statements, "RENAME TABLE");
        assertThat(analyzed).as("ANALYZE before the swap").isNotNegative().isLessThan(swapped);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
    }

    @Test
    void aFailingAnalyzeStopsTheMigrationBeforeTheCutover(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        List<StateChange> states = new CopyOnWriteArrayList<>();
        // The checksum after the postponement would meet the stranger's lock first: this test is about the ANALYZE.
        RunningMigration migration = migrate(db, postpone, states).checksum(false).build().start();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
        try (Connection stranger = db.connect(); Statement statement = stranger.createStatement()) {
            statement.execute("LOCK TABLES _orders_gho WRITE");
            Files.delete(postpone);
            // The failure drops the ghost table, which waits for the stranger: let go once it does.
            awaitStatementWaiting(db, "DROP TABLE IF EXISTS `" + db.name() + "`.`_orders_gho`");
            statement.execute("UNLOCK TABLES");
        }

        assertThatThrownBy(() -> migration.await(Duration.ofMinutes(1)))
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("ANALYZE TABLE on ghost table `" + db.name() + "`.`_orders_gho` failed")
                .hasMessageContaining("Lock wait timeout")
                .hasMessageContaining("refusing the cut-over");
        assertThat(states).extracting(StateChange::to).doesNotContain(MigrationState.CUTTING_OVER)
                .endsWith(MigrationState.FAILED);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    private static int indexOfFirst(List<String> statements, String prefix) {
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).contains(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static void awaitStatementWaiting(TestDatabase db, String sql) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = '"
                + sql.replace("'", "''") + "'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no session ran " + sql + " within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
