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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gh-ost's {@code --attempt-instant-ddl} ({@code attemptInstantDdl}): an ALTER the server takes with
 * ALGORITHM=INSTANT completes without a ghost table (proved by the binlog: no statement ever named one); one it
 * refuses falls back to the full migration, under writes; a session holding the table makes the attempt wait and
 * retry, and when it never lets go, the full migration runs; a dry run predicts it and changes nothing.
 */
@Tag("slow")
@ExtendWith(RealServer.class)
class InstantDdlIT {

    private static final int ROWS = 3_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter(alter)
                .chunkSize(100)
                .cutoverLockTimeout(Duration.ofSeconds(1))
                .attemptInstantDdl(true);
    }

    @Test
    void anInstantAlterCompletesWithoutAGhostTable(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        BinlogPosition start = BinlogPosition.of(db);
        List<StateChange> states = new CopyOnWriteArrayList<>();

        SchemaChangeResult result = migrate(db, "ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x'")
                .listener(new MigrationListener() {
                    @Override
                    public void stateChanged(StateChange change) {
                        states.add(change);
                    }
                })
                .build().run();

        assertThat(result.instantDdl()).isTrue();
        assertThat(result.dryRun()).isFalse();
        assertThat(result.rowsCopied()).isZero();
        assertThat(result.cutoverAttempts()).isZero();
        assertThat(result.oldTable()).isEmpty();
        assertThat(states).extracting(StateChange::to)
                .containsExactly(MigrationState.INSPECTING, MigrationState.COMPLETED);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(start.statementsSince(db)).as("statements in the binlog since the migration started")
                .anySatisfy(sql -> assertThat(sql).contains("ALGORITHM=INSTANT"))
                .noneSatisfy(sql -> assertThat(sql).containsAnyOf("_orders_gho", "_orders_ghc", "_orders_del"));
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE extra = 'x'"))
                .containsExactly(List.of(String.valueOf(ROWS)));
    }

    @Test
    void anAlterTheServerCannotRunInstantlyFallsBackToTheFullMigrationUnderWrites(TestDatabase db,
                                                                                  @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3);
        RunningMigration migration;
        try {
            // The type change turns the data-loss guard on, and chunks of 500 meet more than the server's default
            // 64 readable warnings in duplicates (rows the replay already wrote): ghost's sessions read them all.
            migration = migrate(db, "MODIFY flags SMALLINT UNSIGNED NOT NULL DEFAULT 0").chunkSize(500)
                    .postponeCutoverFlagFile(postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            assertThat(load.committed()).as("writes during the copy").isPositive();
        } finally {
            load.stop();
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.instantDdl()).isFalse();
        assertThat(result.rowsCopied()).isPositive();
        assertThat(result.oldTable()).contains(db.name() + "._orders_del");
        assertThat(db.query("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                + "' AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'flags'"))
                .containsExactly(List.of("smallint(5) unsigned"));
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
    }

    @Test
    void waitsForASessionHoldingTheTableAndRetries(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        long started = System.nanoTime();
        SchemaChangeResult result;
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            holdMetadataLock(statement);
            RunningMigration migration = migrate(db, "ADD COLUMN extra INT").defaultRetries(10).build().start();
            awaitInstantAlterWaiting(db);
            Thread.sleep(2_500); // longer than two attempts of 1 s: only a retry can still succeed
            assertThat(migration.status().state()).isEqualTo(MigrationState.INSPECTING);
            statement.execute("COMMIT");
            result = migration.await(Duration.ofMinutes(1));
        }

        assertThat(result.instantDdl()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(2_500));
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE extra IS NULL"))
                .containsExactly(List.of(String.valueOf(ROWS)));
    }

    /**
     * As gh-ost: once the retries are spent on lock-wait timeouts, the full migration runs (its copy needs no
     * exclusive lock; its cut-over waits for the session like any cut-over would).
     */
    @Test
    void fallsBackToTheFullMigrationWhenTheTableIsNeverReleased(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration;
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            holdMetadataLock(statement);
            migration = migrate(db, "ADD COLUMN extra INT").defaultRetries(2).postponeCutoverFlagFile(postpone)
                    .build().start();
            // the copy runs beside the session; only the swap needs it gone
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(1));
            assertThat(db.tables()).contains("_orders_gho");
            statement.execute("COMMIT");
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(1));

        assertThat(result.instantDdl()).isFalse();
        assertThat(result.rowsCopied()).isEqualTo(ROWS);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
    }

    @Test
    void aDryRunSaysWhetherItWouldApplyAndChangesNothing(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        String definition = db.query("SHOW CREATE TABLE orders").get(0).get(1);

        SchemaChangeResult instant = migrate(db, "ADD COLUMN extra INT").dryRun(true).build().run();
        SchemaChangeResult full = migrate(db, "MODIFY flags SMALLINT UNSIGNED NOT NULL DEFAULT 0").dryRun(true)
                .build().run();

        assertThat(instant.dryRun()).isTrue();
        assertThat(instant.instantDdl()).as("ADD COLUMN would be instant").isTrue();
        assertThat(full.dryRun()).isTrue();
        assertThat(full.instantDdl()).as("a type change would not").isFalse();
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.query("SHOW CREATE TABLE orders").get(0).get(1)).isEqualTo(definition);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void refusesResumeAndRevertAtBuildTime(TestDatabase db) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> migrate(db, "ADD COLUMN extra INT").resume(true)
                        .build())
                .hasMessageContaining("attemptInstantDdl and resume");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> migrate(db, "ADD COLUMN extra INT")
                        .revert("_orders_del").build())
                .hasMessageContaining("attemptInstantDdl and revert");
    }

    /** An open transaction that read the table: it holds a shared metadata lock until it ends. */
    private static void holdMetadataLock(Statement statement) throws Exception {
        statement.execute("BEGIN");
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
            rows.next();
        }
    }

    /** Until the server shows ghost's ALTER waiting for the table's metadata lock. */
    private static void awaitInstantAlterWaiting(TestDatabase db) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%ALGORITHM=INSTANT'"
                + " AND STATE LIKE '%metadata lock%' AND DB = '" + db.name() + "'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ghost's ALTER ... ALGORITHM=INSTANT never waited for the metadata lock");
            }
            Thread.sleep(20);
        }
    }

    /** A position in the server's binlog, to read the statements logged after it. */
    record BinlogPosition(String file, long position) {

        static BinlogPosition of(TestDatabase db) {
            List<String> status = db.query("SHOW MASTER STATUS").get(0);
            return new BinlogPosition(status.get(0), Long.parseLong(status.get(1)));
        }

        /** The text of every statement (query event) logged since this position, in every binlog file after it. */
        List<String> statementsSince(TestDatabase db) {
            List<String> statements = new ArrayList<>();
            boolean reached = false;
            for (List<String> log : db.query("SHOW BINARY LOGS")) {
                String name = log.get(0);
                reached |= name.equals(file);
                if (!reached) {
                    continue;
                }
                String from = name.equals(file) ? " FROM " + position : "";
                for (List<String> event : db.query("SHOW BINLOG EVENTS IN '" + name + "'" + from)) {
                    if ("Query".equals(event.get(2))) {
                        statements.add(event.get(5));
                    }
                }
            }
            return statements;
        }
    }
}
