package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server kills the binlog dump thread three times during a migration under write load: twice during the copy,
 * once while the cut-over is held. Each time the stream reconnects where it stood, without losing or repeating a
 * transaction, so the migration completes and the old and the new table hold the same bytes.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class BinlogReconnectIT {

    private static final int ROWS = 30_000;

    @Test
    void survivesThreeKilledBinlogConnections(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        RunningMigration migration;
        try {
            migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table("orders")
                    .alter("ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x'")
                    .chunkSize(500)
                    .build()
                    .start();
            migration.throttle();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));

            long first = killDumpThread(db, -1);
            long second = killDumpThread(db, first); // waits for the reconnect of the first kill
            migration.unthrottle();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            killDumpThread(db, second);
            long writesBefore = load.committed();
            awaitDumpThreadOtherThan(db, -1, Duration.ofSeconds(60)); // the third reconnect
            while (load.committed() < writesBefore + 200) {
                Thread.sleep(20); // writes that travel through the resumed stream only
            }
            assertThat(migration.status().state()).isEqualTo(MigrationState.POSTPONED);
        } finally {
            load.stop();
        }
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));
        assertThat(result.eventsApplied()).isPositive();

        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        List<List<String>> before = db.contentOf("_orders_del", columns, "id");
        List<List<String>> after = db.contentOf("orders", columns, "id");
        assertThat(after).hasSameSizeAs(before);
        assertThat(after).isEqualTo(before);
    }

    /** Kills the current binlog dump thread, once it is not {@code previous}; returns the id it killed. */
    private static long killDumpThread(TestDatabase db, long previous) throws InterruptedException {
        long id = awaitDumpThreadOtherThan(db, previous, Duration.ofSeconds(60));
        db.execute("KILL " + id);
        return id;
    }

    private static long awaitDumpThreadOtherThan(TestDatabase db, long previous, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<List<String>> dumps = db.query("SELECT ID FROM information_schema.PROCESSLIST "
                    + "WHERE COMMAND LIKE 'Binlog Dump%' AND USER = '" + db.server().user() + "' ORDER BY ID DESC");
            if (!dumps.isEmpty() && Long.parseLong(dumps.get(0).get(0)) != previous) {
                return Long.parseLong(dumps.get(0).get(0));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no binlog dump thread besides " + previous + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
