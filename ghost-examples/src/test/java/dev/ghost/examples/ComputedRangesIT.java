package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy of a single integer key in computed ranges ({@code id >= a AND id <= b}, no query for where a chunk ends)
 * under concurrent writers that insert into the gaps, delete, update and move keys: gappy keys, negative keys,
 * BIGINT UNSIGNED next to 2^64, a key so sparse that the copy walks it instead, and a table emptied while the copy
 * runs. The new table must hold exactly the original's rows, compared column by column.
 */
@ExtendWith(RealServer.class)
class ComputedRangesIT {

    private static final BigInteger TOP = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    @Test
    void gappyKeysUnderWriters(TestDatabase db, @TempDir Path dir) throws Exception {
        // every third id missing, and a hole of 3000 ids in the middle: computed ranges copy fewer rows there
        List<BigInteger> keys = new ArrayList<>();
        for (long i = 1; i <= 8000; i++) {
            keys.add(BigInteger.valueOf(i + (i > 4000 ? 3000 : 0)));
        }
        migrateUnderWriters(db, dir, "INT", keys, key -> key.mod(BigInteger.valueOf(3)).signum() != 0);
    }

    @Test
    void negativeKeysUnderWriters(TestDatabase db, @TempDir Path dir) throws Exception {
        List<BigInteger> keys = new ArrayList<>();
        for (long i = -4000; i <= 4000; i += 2) {
            keys.add(BigInteger.valueOf(i));
        }
        migrateUnderWriters(db, dir, "BIGINT", keys, key -> true);
    }

    @Test
    void bigintUnsignedUpToTwoToTheSixtyFourUnderWriters(TestDatabase db, @TempDir Path dir) throws Exception {
        List<BigInteger> keys = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            keys.add(TOP.subtract(BigInteger.valueOf(i)));
        }
        migrateUnderWriters(db, dir, "BIGINT UNSIGNED", keys, key -> true);
    }

    @Test
    void aKeyTooSparseForRangesIsWalkedUnderWriters(TestDatabase db, @TempDir Path dir) throws Exception {
        // a dense start, then keys scattered up to 2^64: computed ranges find them empty, the walk takes over
        List<BigInteger> keys = new ArrayList<>();
        for (long i = 0; i < 2000; i++) {
            keys.add(BigInteger.valueOf(i));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 3000; i++) {
            keys.add(new BigInteger(64, random));
        }
        keys.add(TOP);
        migrateUnderWriters(db, dir, "BIGINT UNSIGNED", keys, key -> true);
    }

    @Test
    void aTableEmptiedDuringTheCopy(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "INSERT INTO t SELECT seq, CONCAT('v', seq), seq FROM seq_1_to_20000");
        RunningMigration migration = builder(db).chunkSize(100).build().start();
        migration.throttle(); // the first and last keys are read; no chunk is copied yet
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        Thread.sleep(300);
        db.execute("DELETE FROM t");
        migration.unthrottle();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.rowsCopied()).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM t")).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM _t_del")).isZero();
    }

    private static OnlineSchemaChange.Builder builder(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra VARCHAR(8) NOT NULL DEFAULT 'x'");
    }

    /**
     * Fills {@code t} with the keys {@code present} keeps, migrates it in small computed chunks while writers touch
     * every key of the list, and compares the old and new tables once the writers stopped.
     */
    private static void migrateUnderWriters(TestDatabase db, Path dir, String keyType, List<BigInteger> keys,
                                            java.util.function.Predicate<BigInteger> present) throws Exception {
        db.execute("CREATE TABLE t (id " + keyType + " NOT NULL PRIMARY KEY, v VARCHAR(40), n INT)");
        try (Connection connection = db.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (BigInteger key : keys) {
                if (present.test(key)) {
                    insert.setString(1, key.toString());
                    insert.setString(2, "v" + key);
                    insert.setInt(3, key.intValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration;
        try (KeyWriters writers = new KeyWriters(db, keys, 2)) {
            migration = builder(db).chunkSize(50).postponeCutoverFlagFile(postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(3));
            writers.stop();
            assertThat(writers.committed.get()).as("writes during the copy").isGreaterThan(50);
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));

        assertThat(result.rowsCopied()).isPositive();
        List<String> columns = List.of("id", "v", "n");
        assertThat(db.contentOf("t", columns, "id")).isEqualTo(db.contentOf("_t_del", columns, "id"));
    }

    /** Writers that insert, update, delete and move keys of the list, each statement on its own. */
    private static final class KeyWriters implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong committed = new AtomicLong();
        private volatile boolean stopping;

        KeyWriters(TestDatabase db, List<BigInteger> keys, int count) {
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> write(db, keys), "key-writer-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void write(TestDatabase db, List<BigInteger> keys) {
            try (Connection connection = db.connect();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
                 PreparedStatement update = connection.prepareStatement("UPDATE t SET v = ?, n = n + 1 WHERE id = ?");
                 PreparedStatement move = connection.prepareStatement("UPDATE t SET id = ? WHERE id = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM t WHERE id = ?")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stopping) {
                    String key = keys.get(random.nextInt(keys.size())).toString();
                    String other = keys.get(random.nextInt(keys.size())).toString();
                    try {
                        int choice = random.nextInt(4);
                        PreparedStatement statement = switch (choice) {
                            case 0 -> bind(insert, key, "new" + random.nextInt(), Integer.toString(random.nextInt()));
                            case 1 -> bind(update, "upd" + random.nextInt(), key);
                            case 2 -> bind(move, other, key);
                            default -> bind(delete, key);
                        };
                        statement.executeUpdate();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        // duplicate keys and lock waits between writers are part of the load
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static PreparedStatement bind(PreparedStatement statement, String... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            return statement;
        }

        void stop() throws InterruptedException {
            stopping = true;
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
