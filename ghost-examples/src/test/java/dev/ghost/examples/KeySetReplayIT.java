package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-set replay where a replay of row images broke: rows too wide for a multi-row statement, transactions that
 * change a whole table at once, and text keys whose values name the same row under their collation while two
 * connections apply the replay. Each migrates under concurrent writers and compares every row byte for byte.
 */
@ExtendWith(RealServer.class)
class KeySetReplayIT {

    private static final List<String> COLUMNS = List.of("id", "b", "t");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String table, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table(table).alter(alter);
    }

    /**
     * 40 rows of about 1 MB updated twenty at a time: a replay of images put them into statements of 20 MB and more,
     * beyond max_allowed_packet (16 MB, MariaDB's default, set here), and stopped. Keys are small, and rows are
     * copied from the original by the server.
     */
    @Test
    void wideRowsUpdatedDuringTheMigrationNeverMakeAStatementTooLarge(TestDatabase db) throws Exception {
        String packet = db.query("SELECT @@GLOBAL.max_allowed_packet").get(0).get(0);
        db.execute("SET GLOBAL max_allowed_packet = " + (16 << 20)); // ghost's sessions start after this
        try {
            db.execute("CREATE TABLE wide (id INT PRIMARY KEY, b LONGBLOB NOT NULL, t LONGTEXT NOT NULL)");
            for (int id = 1; id <= 40; id++) {
                db.execute("INSERT INTO wide VALUES (" + id + ", REPEAT(CHAR(" + (64 + id) + "), 700000), "
                        + "REPEAT('t" + id + "', 150000))");
            }
            RunningMigration migration = migrate(db, "wide", "ADD COLUMN note VARCHAR(8) NULL").chunkSize(10)
                    .build().start();
            migration.throttle(); // the replay runs, the copy waits: the updates below are replayed first
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
            long writes;
            try (Writers writers = Writers.start(db, 1, random -> {
                int half = random.nextInt(2);
                return "UPDATE wide SET b = REPEAT(CHAR(" + (65 + random.nextInt(26)) + "), " + (690000
                        + random.nextInt(20000)) + "), t = CONCAT('u', " + random.nextInt(1000) + ", t) WHERE id % 2 = "
                        + half;
            }, 5)) {
                Thread.sleep(300); // let some updates reach the replay alone, then copy among them
                migration.unthrottle();
                OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(1));
                writes = writers.awaitDone();
            }
            migration.unpostponeCutover();
            SchemaChangeResult result = migration.await(Duration.ofMinutes(1));

            assertThat(writes).isEqualTo(5);
            assertThat(result.eventsApplied()).isGreaterThanOrEqualTo(100); // 5 updates of 20 rows
            assertThat(db.contentOf("wide", COLUMNS, "id")).isEqualTo(db.contentOf("_wide_del", COLUMNS, "id"));
        } finally {
            db.execute("SET GLOBAL max_allowed_packet = " + packet);
        }
    }

    /**
     * A transaction that updates all 30,000 rows of the table, again and again: a queue of row images held them all
     * (and a small heap ran out). The queue holds keys, deduplicated, within a bound that is tiny here, so the event
     * source waits for the replay again and again.
     */
    @Test
    void wholeTableTransactionsReplayWithinASmallQueueBound(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE whole (id INT PRIMARY KEY, v INT NOT NULL, s VARCHAR(20) NOT NULL)");
        db.execute("INSERT INTO whole SELECT seq, seq % 7, CONCAT('s', seq) FROM seq_1_to_30000");
        RunningMigration migration = migrate(db, "whole", "ADD COLUMN note VARCHAR(8) NULL").chunkSize(1000)
                .replayQueueBytes(16 * 1024)
                .build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
        long writes;
        try (Writers writers = Writers.start(db, 1, random -> "UPDATE whole SET v = v + 1, s = CONCAT('u', "
                + random.nextInt(1000) + ")", 3)) {
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            writes = writers.awaitDone();
        }
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(1));

        assertThat(writes).isEqualTo(3);
        List<String> columns = List.of("id", "v", "s");
        List<List<String>> before = db.contentOf("_whole_del", columns, "id");
        assertThat(before).hasSize(30_000);
        assertThat(db.contentOf("whole", columns, "id")).isEqualTo(before);
        assertThat(result.eventsApplied()).isPositive();
    }

    /**
     * 'key7' and 'KEY7' are one row under a case-insensitive collation, but two keys to the replay: concurrent writers
     * flip keys' case, delete and insert them in either case, while two connections apply the replay. Each round
     * deletes before it copies, so no delete of one spelling lands after the copy of the other.
     */
    @Test
    void textKeysThatChangeCaseUnderTwoReplayThreads(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE ci (k VARCHAR(16) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT NOT NULL)");
        db.execute("INSERT INTO ci SELECT CONCAT(IF(seq % 2 = 0, 'key', 'KEY'), seq), seq FROM seq_1_to_2000");
        RunningMigration migration = migrate(db, "ci", "ADD COLUMN note VARCHAR(8) NULL").chunkSize(100)
                .replayThreads(2).build().start();
        migration.postponeCutover();
        long writes;
        try (Writers writers = Writers.start(db, 3, random -> {
            int n = 1 + random.nextInt(40) * 50; // 40 hot keys spread over the table
            String spelled = (random.nextBoolean() ? "key" : "KEY") + n;
            return switch (random.nextInt(4)) {
                case 0 -> "UPDATE ci SET k = IF(BINARY k = LOWER(k), UPPER(k), LOWER(k)), v = v + 1 WHERE k = '"
                        + spelled + "'";
                case 1 -> "DELETE FROM ci WHERE k = '" + spelled + "'";
                case 2 -> "INSERT IGNORE INTO ci VALUES ('" + spelled + "', " + random.nextInt(1000) + ")";
                default -> "UPDATE ci SET v = v + 1 WHERE k = '" + spelled + "'";
            };
        }, Long.MAX_VALUE)) {
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(1));
            Thread.sleep(300); // writes replayed while nothing is copied any more
            writes = writers.stopAndCount();
        }
        migration.unpostponeCutover();
        migration.await(Duration.ofMinutes(1));

        List<String> columns = List.of("k", "v");
        List<List<String>> before = db.contentOf("_ci_del", columns, "BINARY k");
        assertThat(before).hasSizeGreaterThan(1900);
        assertThat(db.contentOf("ci", columns, "BINARY k")).isEqualTo(before);
        assertThat(writes).as("writes during the migration").isGreaterThan(50);
    }

    /**
     * A unique key with a nullable column, allowed explicitly (the copy cannot walk NULLs, so the table holds none
     * at first): rows whose key holds a NULL are inserted, updated and deleted after the copy, and each reaches the
     * new table (the replay compares keys with {@code <=>}, and a deleted NULL key copies again the other rows that
     * share it).
     */
    @Test
    void rowsWithANullInAnAllowedNullableKeyAreReplayed(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE nk (a INT NULL, b INT NOT NULL, v INT NOT NULL, UNIQUE KEY uk (a, b))");
        db.execute("INSERT INTO nk SELECT seq, seq % 3, seq FROM seq_1_to_300");
        RunningMigration migration = migrate(db, "nk", "ADD COLUMN note VARCHAR(8) NULL").chunkSize(20)
                .allowNullableUniqueKey(true).build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(1));
        db.execute("INSERT INTO nk VALUES (NULL, 1, 1001), (NULL, 1, 1002), (NULL, 7, 1003)",
                "UPDATE nk SET a = NULL WHERE a IN (11, 12, 13)",
                "UPDATE nk SET v = v + 1000 WHERE a IS NULL AND b = 2",
                "DELETE FROM nk WHERE a IS NULL AND v = 1001");
        List<String> columns = List.of("a", "b", "v");
        // Replayed before the cut-over prepares: from then on the replay writes kept row images, and an image cannot
        // bring back the other rows that share a deleted NULL key.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!db.contentOf("_nk_gho", columns, "v").equals(db.contentOf("nk", columns, "v"))) {
            assertThat(System.nanoTime()).as("replayed in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        migration.unpostponeCutover();
        migration.await(Duration.ofMinutes(1));

        List<List<String>> before = db.contentOf("_nk_del", columns, "v");
        assertThat(before).hasSize(302);
        assertThat(db.contentOf("nk", columns, "v")).isEqualTo(before);
    }

    /**
     * Rows whose allowed nullable key holds a NULL before the copy starts (NULL sorts first in the index, and a walk
     * that starts from a NULL bound selects nothing): the copy itself brings every one of them over (the checksum,
     * which a nullable key requires, then finds nothing to repair), in a single-column and a composite key.
     */
    @Test
    void rowsWithANullInAnAllowedNullableKeyAreCopied(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE n1 (u INT NULL, v INT NOT NULL, UNIQUE KEY uk (u))",
                "INSERT INTO n1 VALUES (NULL, 1), (NULL, 2), (1, 3), (2, 4), (3, 5), (NULL, 6)",
                "CREATE TABLE n2 (a INT NOT NULL, b VARCHAR(8) NULL, v INT NOT NULL, UNIQUE KEY uk (a, b))",
                "INSERT INTO n2 SELECT seq % 7, IF(seq % 3 = 0, NULL, CONCAT('b', seq)), seq FROM seq_1_to_200");
        for (String table : List.of("n1", "n2")) {
            List<String> columns = table.equals("n1") ? List.of("u", "v") : List.of("a", "b", "v");
            List<List<String>> before = db.contentOf(table, columns, "v");
            var result = migrate(db, table, "ADD COLUMN note VARCHAR(8) NULL").chunkSize(20)
                    .allowNullableUniqueKey(true).build().run();
            assertThat(result.rowsCopied()).as(table).isEqualTo(before.size());
            assertThat(db.contentOf(table, columns, "v")).as(table).isEqualTo(before);
        }
    }

    /**
     * Writer threads that each run up to {@code limit} statements in autocommit, one every 2 ms; deadlocks and lock
     * wait timeouts (the replay's shared locks meet the writers') are tried again, any other failure is the test's.
     */
    private static final class Writers implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        static Writers start(TestDatabase db, int count, Function<Random, String> next, long limit) {
            Writers writers = new Writers();
            for (int w = 0; w < count; w++) {
                Random random = new Random(w);
                Thread thread = new Thread(() -> {
                    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                        for (long done = 0; done < limit && !Thread.currentThread().isInterrupted(); ) {
                            String sql = next.apply(random);
                            try {
                                statement.execute(sql);
                                done++;
                                writers.writes.incrementAndGet();
                            } catch (SQLException e) {
                                if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                                    throw e;
                                }
                            }
                            Thread.sleep(2);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Throwable e) {
                        writers.failure.compareAndSet(null, e);
                    }
                }, "replay-it-writer-" + w);
                thread.start();
                writers.threads.add(thread);
            }
            return writers;
        }

        /** Waits until every writer ran its statements; the count of statements that ran. */
        long awaitDone() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join();
            }
            return result();
        }

        long stopAndCount() throws InterruptedException {
            threads.forEach(Thread::interrupt);
            return awaitDone();
        }

        private long result() {
            if (failure.get() != null) {
                throw new AssertionError("a writer failed", failure.get());
            }
            return writes.get();
        }

        @Override
        public void close() throws InterruptedException {
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
