package dev.ghost.examples;

import dev.ghost.DataLossException;
import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The copy on several threads at once: under concurrent writes the tables end identical; a failure or a cancel on
 * any thread stops them all and leaves no table and no connection behind.
 */
@ExtendWith(RealServer.class)
class ParallelCopyIT {

    private static final int ROWS = 40_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String table, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table(table).alter(alter);
    }

    @Test
    void fourThreadsCopyALiveTableWithoutLosingOrChangingARow(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        Set<String> copyingThreads = ConcurrentHashMap.newKeySet();
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            migration = migrate(db, "orders", "ADD COLUMN extra INT NOT NULL DEFAULT 7")
                    .chunkSize(200).copyThreads(4).postponeCutoverFlagFile(postpone)
                    .listener(new dev.ghost.event.MigrationListener() {
                        @Override
                        public void progress(dev.ghost.MigrationStatus status) {
                            Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                                    .filter(name -> name.startsWith("ghost-copy-orders-"))
                                    .forEach(copyingThreads::add);
                        }
                    }).progressInterval(Duration.ofMillis(50)).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(3));
            load.stop();
            assertThat(load.committed()).as("writes during the copy").isGreaterThan(100);
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(copyingThreads).as("copying threads seen").hasSizeGreaterThan(1);
        assertThat(result.rowsCopied()).isPositive();
        List<List<String>> before = db.contentOf("_orders_del", COLUMNS, "id");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.queryLong("SELECT COUNT(*) FROM orders WHERE extra <> 7")).isZero();
    }

    @Test
    void aDataLossOnOneThreadStopsEveryThreadAndLeavesNothing(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(32) NOT NULL)",
                "INSERT INTO t SELECT seq, CONCAT('user', seq, '@x') FROM seq_1_to_5000",
                "UPDATE t SET email = 'user1@x' WHERE id = 4500");
        List<List<String>> before = db.contentOf("t", "id");
        long connectionsBefore = RefusalsIT.connections(db);
        assertThatThrownBy(() -> migrate(db, "t", "ADD UNIQUE KEY uk_email (email)")
                .chunkSize(50).copyThreads(3).build().run())
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.warnings())
                        .singleElement().asString().contains("1062", "uk_email"));
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", "id")).isEqualTo(before);
        assertThat(RefusalsIT.connectionsSettle(db, connectionsBefore)).as("connections left open")
                .isLessThanOrEqualTo(connectionsBefore);
    }

    @Test
    void cancelStopsEveryCopyingThread(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 5_000);
        long connectionsBefore = RefusalsIT.connections(db);
        RunningMigration migration = migrate(db, "orders", "ADD COLUMN extra INT").chunkSize(50).copyThreads(4)
                .build().start();
        migration.throttle(); // every copying thread waits for permission
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        Thread.sleep(200);
        migration.cancel();
        assertThatThrownBy(migration::await).isInstanceOf(MigrationCancelledException.class);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("ghost-copy-orders-"));
        assertThat(RefusalsIT.connectionsSettle(db, connectionsBefore)).as("connections left open")
                .isLessThanOrEqualTo(connectionsBefore);
    }
}
