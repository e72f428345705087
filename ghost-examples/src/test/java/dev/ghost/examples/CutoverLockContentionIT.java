package dev.ghost.examples;

import dev.ghost.CutoverFailedException;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.CutoverCompleted;
import dev.ghost.event.MigrationListener;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.Sessions;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault matrix, lock contention at the cut-over: another session holds the table when ghost wants to lock it, under
 * 4 writers. While it is held, each attempt waits for the lock, gives up after its timeout and is retried; the
 * writers only wait meanwhile, and the table's name always resolves. Released, the next attempt swaps the tables and
 * the old and the new one hold the same bytes. Never released, ghost gives up after its retries with an error that
 * says so, and leaves the table as it was: no tables, no sessions, no locks of its own.
 *
 * <p>{@link CutoverIT} covers the basic retry (a reading transaction, counts only); the cut-over strategies' own
 * lock handling is in ghost-core's {@code CutoverStrategiesIT} and {@code AtomicCutoverIT}.
 */
@ExtendWith(RealServer.class)
class CutoverLockContentionIT {

    private static final int ROWS = 3_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    /** What the writers may see besides success: their own duplicate keys and deadlocks with the copy's reads. */
    private static final Set<Integer> WRITE_LOAD_ERRORS = Set.of(1062, 1213);

    /** Ways another session holds {@code orders} so that {@code LOCK TABLES orders WRITE} has to wait. */
    enum Blocker {
        /** A transaction that read the table and stays open: its metadata lock lasts until it ends. */
        OPEN_READ_TRANSACTION("BEGIN", "SELECT COUNT(*) FROM orders"),
        /** A transaction holding shared row locks on some rows ({@code LOCK IN SHARE MODE}). */
        SHARE_MODE_ROWS("BEGIN", "SELECT id FROM orders WHERE id <= 50 LOCK IN SHARE MODE"),
        /** A transaction that updated a row and is not committed. */
        UNCOMMITTED_UPDATE("BEGIN", "UPDATE orders SET flags = (flags + 1) % 256 WHERE id = 2"),
        /** {@code LOCK TABLES orders READ}: the writers wait as long as ghost does. */
        LOCK_TABLES_READ("LOCK TABLES orders READ");

        private final String[] statements;

        Blocker(String... statements) {
            this.statements = statements;
        }

        /** Whether the writers can go on while this is held (a table read lock stops them). */
        boolean writersGoOn() {
            return this != LOCK_TABLES_READ;
        }
    }

    /** A session of the test's that holds the table until released. */
    private static final class HeldLock implements AutoCloseable {
        private final Connection connection;
        private final long id;

        HeldLock(TestDatabase db, Blocker blocker) throws SQLException {
            connection = db.connect();
            try (Statement s = connection.createStatement()) {
                for (String sql : blocker.statements) {
                    s.execute(sql);
                }
                try (ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
                    r.next();
                    id = r.getLong(1);
                }
            }
        }

        long id() {
            return id;
        }

        void release() throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("COMMIT");
                s.execute("UNLOCK TABLES");
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Blocker.class)
    void aBlockerReleasedAfterTwoAttemptsLetsTheThirdSwapTheSameBytes(Blocker kind, TestDatabase db)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        NameProbe probe = NameProbe.start(db);
        LockWaitWatcher watcher = LockWaitWatcher.start(db);
        HeldLock[] held = new HeldLock[1];
        AtomicLong writesAtFirstAttempt = new AtomicLong();
        AtomicLong writesAtRelease = new AtomicLong();
        AtomicLong releasedAt = new AtomicLong();
        AtomicLong swappedAt = new AtomicLong();
        SchemaChangeResult result;
        try {
            result = migrate(db).listener(new MigrationListener() {
                @Override
                public boolean approveCutover(String table, int attempt) {
                    try {
                        if (attempt == 1) {
                            writesAtFirstAttempt.set(load.committed());
                            held[0] = new HeldLock(db, kind); // held as the cut-over starts
                        } else if (attempt == 3) {
                            writesAtRelease.set(load.committed());
                            held[0].release();
                            releasedAt.set(System.nanoTime());
                            // The writers stop here, so that the old table, frozen by the swap, can be compared
                            // byte for byte with the new one; they wrote through both failed attempts.
                            load.stop();
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }

                @Override
                public void cutoverCompleted(CutoverCompleted event) {
                    swappedAt.set(System.nanoTime());
                }
            }).build().run();
        } finally {
            load.stop();
            if (held[0] != null) {
                held[0].close();
            }
            watcher.stop();
        }
        Thread.sleep(200); // the probe goes on across the swap for a moment
        probe.stop();

        assertThat(result.cutoverAttempts()).isEqualTo(3);
        assertThat(watcher.lockersSeenWaiting()).as("cut-over lockers seen waiting on the metadata lock")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(load.rejectedByCode().keySet()).as("what the writers saw: %s", load.rejectedByCode())
                .isSubsetOf(WRITE_LOAD_ERRORS);
        assertThat(probe.errors()).as("the name orders resolves throughout").isEmpty();
        assertThat(probe.statements()).isPositive();
        if (kind.writersGoOn()) {
            assertThat(writesAtRelease.get()).as("writes while the blocker held the table")
                    .isGreaterThan(writesAtFirstAttempt.get());
        }
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        assertThat(db.query("SELECT extra FROM orders LIMIT 1")).containsExactly(List.of("x"));
        assertThat(db.tables()).containsExactlyInAnyOrder("_orders_del", "orders");
        assertThat(Sessions.ghosts(db, Set.of())).isEmpty();
        long recoveryMillis = Duration.ofNanos(swappedAt.get() - releasedAt.get()).toMillis();
        System.out.printf("fault-matrix: cut-over blocked by %s: swapped %d ms after the release, 3 attempts, "
                + "lock held %d ms, total %s%n", kind, recoveryMillis, result.cutoverLockTime().toMillis(),
                result.totalTime());
    }

    @Test
    void aBlockerThatNeverEndsMakesGhostGiveUpAndLeaveTheTableAsItWas(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        String definition = definition(db);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        NameProbe probe = NameProbe.start(db);
        HeldLock[] held = new HeldLock[1];
        AtomicLong cutoverStarted = new AtomicLong();
        long failedAt;
        try {
            assertThatThrownBy(() -> migrate(db).listener(new MigrationListener() {
                @Override
                public boolean approveCutover(String table, int attempt) {
                    if (attempt == 1) {
                        cutoverStarted.set(System.nanoTime());
                        try {
                            held[0] = new HeldLock(db, Blocker.OPEN_READ_TRANSACTION);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return true;
                }
            }).build().run())
                    .isInstanceOf(CutoverFailedException.class)
                    .hasMessageContaining("cut-over of " + db.name() + ".orders failed 3 times")
                    .hasMessageContaining("could not lock " + db.name() + ".orders within 2 s")
                    .hasMessageContaining("session " + held[0].id() + " (") // the blocker, named
                    .hasMessageContaining("original table is in place")
                    .hasMessageContaining("--cut-over-lock-timeout-seconds")
                    .hasMessageContaining("--default-retries")
                    .satisfies(e -> {
                        assertThat(((CutoverFailedException) e).remainingTables()).isEmpty();
                        System.out.println("fault-matrix: the error: " + e.getMessage());
                    });
            failedAt = System.nanoTime();

            // The blocker still holds its transaction: ghost holds nothing, so the table takes writes at once.
            assertThat(db.tables()).containsExactly("orders");
            writeWithShortLockWait(db);
            load.stop();
            probe.stop();
            assertThat(probe.errors()).as("the name orders resolves throughout").isEmpty();
            assertThat(Sessions.ghosts(db, Set.of(held[0].id()))).as("ghost's sessions").isEmpty();
            held[0].release();
            // Released, nothing is left that could stop a lock of the whole table (ghost's own included).
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = 1");
                s.execute("LOCK TABLES orders WRITE");
                s.execute("UNLOCK TABLES");
            }
        } finally {
            load.stop();
            probe.stop();
            if (held[0] != null) {
                held[0].close();
            }
        }
        assertThat(load.rejectedByCode().keySet()).as("what the writers saw: %s", load.rejectedByCode())
                .isSubsetOf(WRITE_LOAD_ERRORS);
        assertThat(definition(db)).isEqualTo(definition);
        assertThat(db.tables()).containsExactly("orders");
        System.out.printf("fault-matrix: cut-over blocked for good: gave up %d ms after the first attempt began "
                + "(3 attempts, 1 s lock timeout)%n", Duration.ofNanos(failedAt - cutoverStarted.get()).toMillis());
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders")
                .alter("ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x'")
                .chunkSize(100)
                .cutoverLockTimeout(Duration.ofSeconds(1))
                .defaultRetries(3);
    }

    /** The table's definition, without its AUTO_INCREMENT counter, which the writers move. */
    private static String definition(TestDatabase db) {
        return db.query("SHOW CREATE TABLE orders").get(0).get(1).replaceAll(" AUTO_INCREMENT=\\d+", "");
    }

    /** An insert and an update on a fresh session that waits at most 1 s for any lock. */
    private static void writeWithShortLockWait(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = 1, SESSION innodb_lock_wait_timeout = 1");
            s.execute("INSERT INTO orders (name, created) VALUES ('after the failed cut-over', NOW(6))");
            s.execute("UPDATE orders SET flags = 7 WHERE id = 1");
        }
    }

    /**
     * Reads and writes the table by name on one session, over and over, waiting as long as any lock takes: any
     * error (1146 above all: the table is missing) means the name did not resolve at some moment. Its UPDATE
     * matches no row, so the table's content is not changed by it.
     */
    static final class NameProbe {
        private final Map<Integer, String> errors = new ConcurrentHashMap<>();
        private final AtomicLong statements = new AtomicLong();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;

        private NameProbe(TestDatabase db) {
            thread = new Thread(() -> run(db), "name-probe");
            thread.setDaemon(true);
        }

        static NameProbe start(TestDatabase db) {
            NameProbe probe = new NameProbe(db);
            probe.thread.start();
            return probe;
        }

        private void run(TestDatabase db) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (!stopping.get()) {
                    try {
                        s.executeQuery("SELECT id FROM orders ORDER BY id LIMIT 1").close();
                        s.executeUpdate("UPDATE orders SET flags = flags + 1 WHERE id = 0");
                        statements.addAndGet(2);
                    } catch (SQLException e) {
                        errors.putIfAbsent(e.getErrorCode(), String.valueOf(e.getMessage()));
                    }
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException e) {
                errors.putIfAbsent(-1, e.toString());
            }
        }

        long statements() {
            return statements.get();
        }

        Map<Integer, String> errors() {
            return errors;
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            thread.join(30_000);
        }
    }

    /** Watches the process list for ghost's {@code LOCK TABLES} waiting on the metadata lock. */
    static final class LockWaitWatcher {
        private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;

        private LockWaitWatcher(TestDatabase db) {
            thread = new Thread(() -> run(db), "lock-wait-watcher");
            thread.setDaemon(true);
        }

        static LockWaitWatcher start(TestDatabase db) {
            LockWaitWatcher watcher = new LockWaitWatcher(db);
            watcher.thread.start();
            return watcher;
        }

        private void run(TestDatabase db) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (!stopping.get()) {
                    try (ResultSet r = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '"
                            + db.name() + "' AND INFO LIKE 'LOCK TABLES%orders_gcs%' AND STATE LIKE '%metadata lock%'")) {
                        while (r.next()) {
                            waiting.add(r.getLong(1));
                        }
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        Set<Long> lockersSeenWaiting() {
            return waiting;
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            thread.join(10_000);
        }
    }
}
