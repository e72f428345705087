package dev.ghost.examples;

import dev.ghost.GhostException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.CutoverCompleted;
import dev.ghost.event.MigrationListener;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottlePolicy;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.Sessions;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault matrix, {@code KILL} of ghost's connections in each phase under 4 writers ({@link ConnectionRecoveryIT} kills
 * one role at a time): every role at once during the copy and while the cut-over is postponed (heartbeat, throttle
 * checks, replay, migration lock, binlog dump, and during the copy the copy's); the checksum's lock connection while
 * it waits for its read lock; and the cut-over's locker while it holds {@code LOCK TABLES} (its sentry must make the
 * queued rename fail, so that the original stays in place, and the next attempt swaps). Each ends with the old and
 * new tables identical byte for byte, or with a clean failure.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class ConnectionRecoveryPhasesIT {

    private static final int ROWS = 4_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    /** The test's throttle query: never throttles, and runs long enough (20 ms) to be seen running. */
    private static final String THROTTLE_QUERY = "SELECT SLEEP(0.02) /* recovery-probe */";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                .chunkSize(50).heartbeatInterval(Duration.ofMillis(20))
                .throttleQuery(THROTTLE_QUERY)
                .cutoverLockTimeout(Duration.ofSeconds(3)).defaultRetries(3);
    }

    @Test
    void everyConnectionKilledDuringTheCopy(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Set<Long> dumpsBefore = binlogDumps(db);
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            migration = migrate(db).chunkSize(10).throttlePolicy(ThrottlePolicy.niceRatio(2)).build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
            long faultAt = System.nanoTime();
            killEveryRole(db, migration, MigrationState.COPYING, true, dumpsBefore);
            System.out.printf("fault-matrix: KILL of every connection during the copy: all reopened %d ms after "
                    + "the first kill%n", Duration.ofNanos(System.nanoTime() - faultAt).toMillis());
            migration.niceRatio(0);
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            load.stop();
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(50);
        }
        migration.unpostponeCutover();
        assertIdentical(db, migration.await(Duration.ofMinutes(1)));
    }

    @Test
    void everyConnectionKilledWhileTheCutoverIsPostponed(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Set<Long> dumpsBefore = binlogDumps(db);
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            migration = migrate(db).build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            long faultAt = System.nanoTime();
            killEveryRole(db, migration, MigrationState.POSTPONED, false, dumpsBefore);
            System.out.printf("fault-matrix: KILL of every connection while postponed: all reopened %d ms after "
                    + "the first kill%n", Duration.ofNanos(System.nanoTime() - faultAt).toMillis());
            assertThat(migration.status().state()).isEqualTo(MigrationState.POSTPONED);
            load.stop();
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(50);
        }
        migration.unpostponeCutover();
        assertIdentical(db, migration.await(Duration.ofMinutes(1)));
    }

    /**
     * The checksum after the postponement locks the original for reading; a transaction of the test's holds it off,
     * so that its lock connection is seen waiting, and is killed there.
     */
    @Test
    void theChecksumsLockConnectionKilledWhileItWaits(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        SchemaChangeResult result = null;
        GhostException failure = null;
        long killedAt;
        try (Connection blocker = db.connect(); Statement block = blocker.createStatement()) {
            RunningMigration migration = migrate(db).listener(stopWritersAtTheCutover(load)).build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            block.execute("BEGIN");
            block.execute("UPDATE orders SET flags = (flags + 1) % 256 ORDER BY id LIMIT 1"); // holds the table
            migration.unpostponeCutover();
            long locker = ConnectionRecoveryIT.awaitConnection(db, "LOCK TABLES `" + db.name() + "`.`orders` READ",
                    Set.of(), PATIENCE);
            db.execute("KILL " + locker);
            killedAt = System.nanoTime();
            block.execute("COMMIT");
            try {
                result = migration.await(Duration.ofMinutes(1));
            } catch (GhostException e) {
                failure = e;
            }
        } finally {
            load.stop();
        }
        System.out.printf("fault-matrix: KILL of the checksum's lock connection: %s %d ms after the kill%s%n",
                failure == null ? "completed" : "failed", Duration.ofNanos(System.nanoTime() - killedAt).toMillis(),
                failure == null ? "" : ": " + failure.getMessage());
        if (failure == null) {
            assertIdentical(db, result);
        } else {
            assertFailedCleanly(db, failure);
        }
    }

    /**
     * The cut-over's locker is killed while it holds {@code LOCK TABLES orders WRITE, orders_gcs WRITE}. To catch
     * it there: a transaction of the test's holds every row of the ghost table, so that the replay cannot pass the
     * locker's marker (the locker holds its lock for up to the lock timeout), and a test write gives the replay
     * something to apply; another transaction makes the locker's {@code LOCK TABLES} wait a moment, so that its
     * session is seen. Its death releases the table; the sentry it created stays, so the rename that follows fails
     * (its target exists) and the original stays in place. The next attempt swaps.
     */
    @Test
    void theCutoversLockerKilledWhileItHoldsTheTable(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        AtomicLong killedAt = new AtomicLong();
        AtomicLong swappedAt = new AtomicLong();
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> fault = new CompletableFuture<>();
        SchemaChangeResult result = null;
        GhostException failure = null;
        try (Connection replayStall = db.connect(); Connection lockDelay = db.connect()) {
            RunningMigration migration = migrate(db).listener(new MigrationListener() {
                @Override
                public boolean approveCutover(String table, int attempt) {
                    if (attempt == 1) {
                        try {
                            execute(replayStall, "BEGIN", "SELECT COUNT(*) FROM _orders_gho FOR UPDATE");
                            db.execute("UPDATE orders SET flags = (flags + 1) % 256 ORDER BY id LIMIT 1");
                            execute(lockDelay, "BEGIN", "SELECT COUNT(*) FROM orders");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        CompletableFuture.runAsync(() -> killLockerWhileItHolds(db, replayStall, lockDelay, seen,
                                killedAt)).whenComplete((done, error) -> {
                                    if (error != null) {
                                        fault.completeExceptionally(error);
                                    } else {
                                        fault.complete(null);
                                    }
                                });
                    } else {
                        load.stop(); // the old table is frozen by the swap: stop here to compare it byte for byte
                    }
                    return true;
                }

                @Override
                public void cutoverCompleted(CutoverCompleted event) {
                    swappedAt.set(System.nanoTime());
                }
            }).build().start();
            try {
                result = migration.await(Duration.ofMinutes(2));
            } catch (GhostException e) {
                failure = e;
            }
            fault.get(30, TimeUnit.SECONDS);
        } finally {
            load.stop();
        }
        System.out.printf("fault-matrix: KILL of the cut-over's locker while it holds the table (%s): %s%s%n",
                String.join("; ", seen), failure == null ? "swapped " + Duration.ofNanos(swappedAt.get()
                        - killedAt.get()).toMillis() + " ms after the kill, attempts " + result.cutoverAttempts()
                        : "failed", failure == null ? "" : ": " + failure.getMessage());
        if (failure == null) {
            assertThat(result.cutoverAttempts()).as("the killed attempt failed, a later one swapped")
                    .isGreaterThanOrEqualTo(2);
            assertIdentical(db, result);
        } else {
            assertFailedCleanly(db, failure);
        }
    }

    /** The fault of the cut-over test, on a thread of its own while the migration's thread runs the attempt. */
    private static void killLockerWhileItHolds(TestDatabase db, Connection replayStall, Connection lockDelay,
                                               List<String> seen, AtomicLong killedAt) {
        try {
            long locker = ConnectionRecoveryIT.awaitConnection(db, "LOCK TABLES `" + db.name()
                    + "`.`orders` WRITE, `" + db.name() + "`.`orders_gcs` WRITE", Set.of(), PATIENCE);
            execute(lockDelay, "COMMIT"); // the locker gets its lock now
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                List<List<String>> row = db.query("SELECT COMMAND, STATE, INFO FROM information_schema.PROCESSLIST "
                        + "WHERE ID = " + locker);
                assertThat(row).as("the locker's session").hasSize(1);
                if (row.get(0).get(2) == null) { // LOCK TABLES returned: it holds the tables
                    seen.add("locker " + locker + " idle holding the lock: " + row.get(0));
                    break;
                }
                assertThat(System.nanoTime()).as("the locker got its lock").isLessThan(deadline);
                Thread.sleep(1);
            }
            // Writers wait for the table now: the lock is held.
            seen.add("writers waiting on orders: " + db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                    + "WHERE DB = '" + db.name() + "' AND INFO LIKE '%orders%' AND STATE LIKE '%metadata lock%'"));
            db.execute("KILL " + locker);
            killedAt.set(System.nanoTime());
            seen.add("sentry after the kill: " + db.tables().contains("orders_gcs"));
            execute(replayStall, "COMMIT"); // the replay goes on; the marker comes back; the rename meets the sentry
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Kills, one after the other while the migration is in {@code phase}, the connections of the heartbeat, the
     * throttle checks, the replay, (during the copy) the copy, the migration lock and the binlog dump; then waits
     * until each role runs again on a new connection.
     */
    private static void killEveryRole(TestDatabase db, RunningMigration migration, MigrationState phase,
                                      boolean copy, Set<Long> dumpsBefore) throws Exception {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("heartbeat", "INSERT INTO `" + db.name() + "`.`_orders_ghc`%heartbeat%");
        roles.put("throttle", THROTTLE_QUERY);
        roles.put("replay", "%REPLACE INTO `" + db.name() + "`.`_orders_gho`%");
        if (copy) {
            roles.put("copy", "INSERT IGNORE INTO `" + db.name() + "`.`_orders_gho`%");
        }
        Set<Long> killed = new HashSet<>();
        for (Map.Entry<String, String> role : roles.entrySet()) {
            long id = ConnectionRecoveryIT.awaitConnection(db, role.getValue(), killed, PATIENCE);
            assertThat(migration.status().state()).as("the phase as the %s is killed", role.getKey())
                    .isEqualTo(phase);
            db.execute("KILL " + id);
            killed.add(id);
        }
        String lockName = MigrationLock.name(new TableName(db.name(), "orders"));
        long holder = ConnectionRecoveryIT.lockHolder(db, lockName);
        assertThat(holder).as("the migration lock's holder").isPositive();
        db.execute("KILL " + holder);
        killed.add(holder);
        Set<Long> dumps = new HashSet<>(binlogDumps(db));
        dumps.removeAll(dumpsBefore);
        assertThat(dumps).as("the migration's binlog dump").hasSize(1);
        long dump = dumps.iterator().next();
        assertThat(migration.status().state()).as("the phase as the binlog dump is killed").isEqualTo(phase);
        db.execute("KILL " + dump);
        killed.add(dump);

        // Each role again, on a new connection.
        for (Map.Entry<String, String> role : roles.entrySet()) {
            if (!role.getKey().equals("copy") || migration.status().state() == MigrationState.COPYING) {
                ConnectionRecoveryIT.awaitConnection(db, role.getValue(), killed, PATIENCE);
            }
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            long again = ConnectionRecoveryIT.lockHolder(db, lockName);
            Set<Long> newDumps = new HashSet<>(binlogDumps(db));
            newDumps.removeAll(dumpsBefore);
            newDumps.removeAll(killed);
            if (again > 0 && !killed.contains(again) && !newDumps.isEmpty()) {
                break;
            }
            assertThat(System.nanoTime()).as("the lock (holder %d) and the binlog dump (%s) back within %s", again,
                    newDumps, PATIENCE).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(migration.status().state().isTerminal()).as("the migration goes on: %s", migration.status())
                .isFalse();
    }

    /** The ids of the server's binlog dump sessions (ghost's streams) now. */
    private static Set<Long> binlogDumps(TestDatabase db) {
        Set<Long> ids = new HashSet<>();
        for (List<String> row : db.query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE "
                + "'Binlog Dump%' AND USER = '" + db.server().user() + "'")) {
            ids.add(Long.parseLong(row.get(0)));
        }
        return ids;
    }

    private static MigrationListener stopWritersAtTheCutover(WriteLoad load) {
        return new MigrationListener() {
            @Override
            public boolean approveCutover(String table, int attempt) {
                load.stop(); // the old table is frozen by the swap: stop here to compare it byte for byte
                return true;
            }
        };
    }

    private static void assertIdentical(TestDatabase db, SchemaChangeResult result) {
        assertThat(result.rowsCopied()).isPositive();
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        assertThat(db.queryLong("SELECT COUNT(*) FROM orders WHERE extra <> 7")).isZero();
        assertThat(Sessions.ghosts(db, Set.of())).as("ghost's sessions left on the server").isEmpty();
    }

    /** A failure that names the table and leaves the original alone and writable, and nothing of ghost's. */
    private static void assertFailedCleanly(TestDatabase db, GhostException failure) throws SQLException {
        assertThat(failure).isInstanceOf(MigrationFailedException.class);
        assertThat(failure.getMessage()).contains("orders");
        assertThat(((MigrationFailedException) failure).remainingTables()).isEmpty();
        assertThat(db.tables()).containsExactly("orders");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = 1, SESSION innodb_lock_wait_timeout = 1");
            s.execute("LOCK TABLES orders WRITE"); // nobody holds the table
            s.execute("UNLOCK TABLES");
            s.execute("INSERT INTO orders (name, created) VALUES ('after the fault', NOW(6))");
        }
        assertThat(Sessions.ghosts(db, Set.of())).as("ghost's sessions left on the server").isEmpty();
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                if (sql.startsWith("SELECT")) {
                    try (ResultSet ignored = statement.executeQuery(sql)) {
                        // the locks are what matters
                    }
                } else {
                    statement.execute(sql);
                }
            }
        }
    }
}
