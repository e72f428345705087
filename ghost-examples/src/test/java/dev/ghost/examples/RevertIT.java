package dev.ghost.examples;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Revert: a migration under writers is cut over, the writers go on, the migration is reverted, the writers go on
 * again. Every write also goes, in the same transaction, to a reference table of the original's definition, which the
 * reverted table must equal row for row, every column: the writes made before, between and after both swaps, and the
 * values of the column the migration dropped.
 */
@ExtendWith(RealServer.class)
class RevertIT {

    private static final int ROWS = 5_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final String ALTER = "ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x', DROP COLUMN note, "
            + "ADD INDEX idx_created (created)";

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").chunkSize(200);
    }

    @Test
    void aRevertBringsBackEveryWriteMadeBeforeAndAfterTheFirstSwap(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        db.execute("CREATE TABLE ref LIKE orders", "INSERT INTO ref SELECT * FROM orders");
        SchemaChangeResult migrated;
        SchemaChangeResult reverted;
        try (MirroredWriters writers = new MirroredWriters(db, 4)) {
            writers.awaitWrites(200);
            migrated = migrate(db).alter(ALTER).checkpoint(true).build().run();
            long afterMigration = writers.writes();
            writers.awaitWrites(afterMigration + 300); // written to the new table only
            assertThat(db.tables()).contains("_orders_del", "_orders_ghk");

            reverted = migrate(db).revert("_orders_del").build().run();
            writers.awaitWrites(writers.writes() + 300); // and to the reverted one
        }
        assertThat(migrated.oldTable()).contains(db.name() + "._orders_del");
        assertThat(reverted.oldTable()).contains(db.name() + "._orders_rev");
        assertThat(reverted.eventsApplied()).isPositive();
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "ref", "_orders_rev");
        assertThat(db.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("`note` text")
                .doesNotContain("extra").doesNotContain("idx_created");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("ref", COLUMNS, "id"));
    }

    @Test
    void aRevertWithoutACutoverCheckpointIsRefusedAndChangesNothing(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 500);
        migrate(db).alter("ADD COLUMN extra INT").build().run(); // no checkpoints
        List<List<String>> rows = db.contentOf("orders", "id");

        assertThatThrownBy(() -> migrate(db).revert("_orders_del").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check()).isEqualTo("revert"))
                .hasMessageContaining("cannot revert the migration of")
                .hasMessageContaining("no checkpoint table");
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        assertThat(db.contentOf("orders", "id")).isEqualTo(rows);

        assertThatThrownBy(() -> migrate(db).revert("_orders_del").resume(true).build())
                .hasMessageContaining("revert and resume");
    }

    /** Writers that apply each change to {@code orders} and {@code ref} in one transaction, on shared columns only. */
    private static final class MirroredWriters implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicLong nextId = new AtomicLong(ROWS + 1);
        private volatile boolean stopping;
        private volatile Throwable failure;

        MirroredWriters(TestDatabase db, int count) {
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> write(db), "mirrored-writer-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void write(TestDatabase db) {
            try (Connection connection = db.connect()) {
                connection.setAutoCommit(false);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stopping) {
                    int choice = random.nextInt(10);
                    long id = 1 + random.nextLong(nextId.get() - 1);
                    String name = "w-" + random.nextInt(1_000_000) + (random.nextBoolean() ? " 🚀" : "");
                    try {
                        for (String table : List.of("orders", "ref")) {
                            PreparedStatement statement;
                            if (choice < 3) {
                                statement = connection.prepareStatement("INSERT INTO " + table
                                        + " (id, name, amount, created, payload, flags) VALUES (?, ?, 1.5, "
                                        + "'2025-01-01 00:00:00.5', X'00ff', 7)");
                                statement.setLong(1, nextId.get());
                                statement.setString(2, name);
                            } else if (choice < 9) {
                                statement = connection.prepareStatement("UPDATE " + table + " SET name = ?, "
                                        + "amount = COALESCE(amount, 0) + 1, flags = (flags + 1) % 256 WHERE id = ?");
                                statement.setString(1, name);
                                statement.setLong(2, id);
                            } else {
                                statement = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
                                statement.setLong(1, id);
                            }
                            try (statement) {
                                statement.executeUpdate();
                            }
                        }
                        if (choice < 3) {
                            nextId.incrementAndGet();
                        }
                        connection.commit();
                        writes.incrementAndGet();
                    } catch (SQLException e) {
                        connection.rollback(); // both tables or neither: a deadlock or duplicate id is retried
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        long writes() {
            return writes.get();
        }

        void awaitWrites(long count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (writes.get() < count) {
                assertThat(failure).isNull();
                assertThat(System.nanoTime()).as("writes within a minute").isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure).isNull();
        }
    }
}
