package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.WriteLoad;

import java.util.List;
import java.util.Locale;

/**
 * The demo: starts an embedded MariaDB, fills a 200k-row table, keeps 4 writers busy on it, runs an online ALTER
 * with live progress, stops the writers before the cut-over, and checks that the old and the new table hold exactly
 * the same rows. Exits 0 only if they do.
 */
public final class Demo {

    private static final int ROWS = Integer.getInteger("demo.rows", 200_000);

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.ch.vorburger", "warn");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long started = System.nanoTime();
        say("starting an embedded MariaDB 11.4 (binlog on, ROW format) ...");
        int exit;
        try (TestServer server = TestServer.start(TestServer.Kind.EMBEDDED)) {
            say("server %s is up (%s)", server, server.version());
            exit = run(server);
        }
        say("done in %.1f s", (System.nanoTime() - started) / 1e9);
        System.exit(exit);
    }

    private static int run(TestServer server) throws Exception {
        TestDatabase db = server.createDatabase("demo");
        say("creating demo.orders with %,d rows (utf8mb4 with emoji, NULLs, DECIMAL, DATETIME(6), BLOB) ...", ROWS);
        MixedTable.create(db, "orders", ROWS);

        String alter = "ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'new', ADD INDEX idx_created (created)";
        say("starting 4 writers (insert, update, primary-key moves, delete) and the online ALTER: %s", alter);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        RunningMigration migration = OnlineSchemaChange.builder()
                .connection(server.host(), server.port(), server.user(), server.password())
                .database(db.name()).table("orders").alter(alter)
                .chunkSize(2000)
                .listener(new MigrationListener() {
                    @Override
                    public void stateChanged(StateChange change) {
                        say("state: %s", change.to());
                    }

                    @Override
                    public void progress(MigrationStatus status) {
                        say("%s", status.statusLine());
                    }
                })
                .build()
                .start();
        // Hold the cut-over so the writers can be stopped first: then both tables must match exactly.
        migration.postponeCutover();
        while (migration.status().state() != MigrationState.POSTPONED && !migration.status().state().isTerminal()) {
            Thread.sleep(100);
        }
        load.stop();
        say("writers stopped after %,d writes (%,d primary-key moves) during the migration",
                load.committed(), load.keyMoves());
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await();

        say("migration complete: %,d rows copied, %,d binlog row events applied, total %.1f s",
                result.rowsCopied(), result.eventsApplied(), result.totalTime().toMillis() / 1000.0);
        say("cut-over lock held for %.1f ms", result.cutoverLockTime().toNanos() / 1e6);

        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        List<List<String>> old = db.contentOf(result.oldTable().orElseThrow().substring(db.name().length() + 1),
                columns, "id");
        List<List<String>> migrated = db.contentOf("orders", columns, "id");
        if (!old.equals(migrated)) {
            say("DATA MISMATCH: old table has %,d rows, new table %,d rows", old.size(), migrated.size());
            return 1;
        }
        say("data verified: all %,d rows are identical in the old and the new table (every column, byte for byte)",
                migrated.size());
        return 0;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, "[demo] " + format, args));
        System.out.flush();
    }
}
