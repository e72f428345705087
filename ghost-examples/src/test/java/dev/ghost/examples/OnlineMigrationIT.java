package dev.ghost.examples;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation's main scenario: an online ALTER of a 200k-row table of mixed types while 4 threads insert,
 * update (some moving the primary key) and delete throughout the copy. Writes stop before the cut-over; then the
 * old and the new table must hold exactly the same rows, compared byte for byte.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class OnlineMigrationIT {

    private static final int ROWS = 200_000;

    @Test
    void migratesALiveTableWithoutLosingOrChangingARow(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        List<StateChange> states = new CopyOnWriteArrayList<>();

        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        RunningMigration migration;
        try {
            migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table("orders")
                    .alter("ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x', ADD INDEX idx_created (created)")
                    .chunkSize(2000)
                    .postponeCutoverFlagFile(postpone)
                    .listener(new MigrationListener() {
                        @Override
                        public void stateChanged(StateChange change) {
                            states.add(change);
                        }
                    })
                    .build()
                    .start();
            awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(5));
            assertThat(load.committed()).as("writes during the copy").isGreaterThan(100);
            assertThat(load.keyMoves()).as("primary-key moves during the copy").isPositive();
        } finally {
            load.stop();
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.oldTable()).contains(db.name() + "._orders_del");
        assertThat(result.rowsCopied()).isPositive();
        assertThat(result.eventsApplied()).isPositive();
        assertThat(result.cutoverLockTime()).isPositive().isLessThan(Duration.ofSeconds(3));
        assertThat(states).extracting(StateChange::to).containsSubsequence(MigrationState.INSPECTING,
                MigrationState.COPYING, MigrationState.POSTPONED, MigrationState.CUTTING_OVER,
                MigrationState.COMPLETED);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");

        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        List<List<String>> before = db.contentOf("_orders_del", columns, "id");
        List<List<String>> after = db.contentOf("orders", columns, "id");
        assertThat(after).hasSameSizeAs(before);
        assertThat(after).isEqualTo(before);
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE extra <> 'x'")).containsExactly(List.of("0"));
    }

    static void awaitState(RunningMigration migration, MigrationState state, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (migration.status().state() != state) {
            if (migration.status().state().isTerminal()) {
                migration.await(); // throws the failure
                throw new AssertionError("migration ended in " + migration.status().state() + " before " + state);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + state + " within " + timeout + ": " + migration.status());
            }
            Thread.sleep(50);
        }
    }
}
