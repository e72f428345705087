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
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-unique secondary indexes built after the copy: under writers, the migrated table holds every row byte for byte,
 * and its definition reads exactly as the same ALTER makes it natively (prefix, composite, descending and new indexes
 * included; unique keys untouched).
 */
@ExtendWith(RealServer.class)
class DeferredIndexesIT {

    private static final List<String> COLUMNS = List.of("id", "a", "b", "c", "u");

    @Test
    void secondaryIndexesBuiltAfterTheCopyMatchTheAlter(TestDatabase db) throws Exception {
        migrateAndCompare(db, true);
    }

    @Test
    void secondaryIndexesBuiltWithTheCopyWhenAsked(TestDatabase db) throws Exception {
        migrateAndCompare(db, false);
    }

    private static void migrateAndCompare(TestDatabase db, boolean defer) throws Exception {
        String create = " (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL, b VARCHAR(40) NOT NULL, "
                + "c INT NOT NULL, u INT NULL, UNIQUE KEY uk_u (u), KEY k_a (a), KEY k_b_prefix (b(10)), "
                + "KEY k_ac (a, c DESC)) ENGINE=InnoDB";
        String alter = "ADD COLUMN note VARCHAR(8) NULL, ADD KEY k_c (c), DROP KEY k_a";
        db.execute("CREATE TABLE t" + create, "CREATE TABLE control" + create, "ALTER TABLE control " + alter,
                "INSERT INTO t (a, b, c, u) SELECT seq % 97, CONCAT('b', seq), seq % 13, seq FROM seq_1_to_5000");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random random = new Random(7);
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                while (!stop.get()) {
                    int id = 1 + random.nextInt(6000);
                    String sql = switch (random.nextInt(3)) {
                        case 0 -> "UPDATE t SET a = a + 1, b = CONCAT(b, 'x'), c = c + 1 WHERE id = " + id;
                        case 1 -> "DELETE FROM t WHERE id = " + id;
                        default -> "INSERT INTO t (a, b, c) VALUES (" + id % 97 + ", 'w" + id + "', " + id % 13 + ")";
                    };
                    try {
                        statement.execute(sql);
                        writes.incrementAndGet();
                    } catch (SQLException e) {
                        if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                            throw e;
                        }
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "deferred-indexes-writer");
        writer.start();
        SchemaChangeResult result;
        try {
            RunningMigration migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table("t").alter(alter).chunkSize(200).deferSecondaryIndexes(defer)
                    .build().start();
            migration.postponeCutover(); // the writers stop before the swap: then old and new must match exactly
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(1));
            stop.set(true);
            writer.join();
            migration.unpostponeCutover();
            result = migration.await(Duration.ofMinutes(1));
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(writes.get()).isPositive();
        assertThat(result.rowsCopied()).isPositive();
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(db.contentOf("_t_del", COLUMNS, "id"));
        assertThat(definition(db, "t")).isEqualTo(definition(db, "control"));
    }

    private static String definition(TestDatabase db, String table) {
        return db.query("SHOW CREATE TABLE `" + table + "`").get(0).get(1)
                .replaceFirst("CREATE TABLE `" + table + "`", "CREATE TABLE x")
                .replaceAll(" AUTO_INCREMENT=\\d+", "");
    }
}
