package dev.ghost.examples;

import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.internal.check.MigrationLock;
import dev.ghost.spi.TableName;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each of ghost's connections killed ({@code KILL <id>} from another session) in the middle of a migration under
 * concurrent writes: the heartbeat, the throttle checks, the replay, the copy and the migration lock reopen theirs
 * and the migration ends with the old and new tables identical byte for byte; a lock taken by someone else while
 * ghost's was lost stops the migration before its cut-over, and nothing is left behind.
 *
 * <p>Each role's connection is found in PROCESSLIST by what it runs (its statement text, caught by polling), or,
 * for the lock, by {@code IS_USED_LOCK}.
 */
@ExtendWith(RealServer.class)
class ConnectionRecoveryIT {

    private static final int ROWS = 4_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    /** The test's throttle query: never throttles, and runs long enough (20 ms) to be seen running. */
    private static final String THROTTLE_QUERY = "SELECT SLEEP(0.02) /* recovery-probe */";

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, Path postpone) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                .chunkSize(10).heartbeatInterval(Duration.ofMillis(20)).postponeCutoverFlagFile(postpone)
                .throttleQuery(THROTTLE_QUERY);
    }

    @Test
    void theHeartbeatReconnects(TestDatabase db, @TempDir Path dir) throws Exception {
        String heartbeat = "INSERT INTO `" + db.name() + "`.`_orders_ghc`%heartbeat%";
        killDuringPostponedMigration(db, dir, heartbeat, 2);
    }

    @Test
    void theThrottleChecksReconnect(TestDatabase db, @TempDir Path dir) throws Exception {
        killDuringPostponedMigration(db, dir, THROTTLE_QUERY, 2);
    }

    @Test
    void theReplayReconnectsAndAppliesItsRoundAgain(TestDatabase db, @TempDir Path dir) throws Exception {
        String replay = "%INTO `" + db.name() + "`.`_orders_gho`%"; // REPLACE INTO (upserts); the copy has ended
        killDuringPostponedMigration(db, dir, replay, 3);
    }

    @Test
    void theCopyReconnectsAndCopiesItsChunkAgain(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3)) {
            migration = migrate(db, postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
            String copy = "INSERT IGNORE INTO `" + db.name() + "`.`_orders_gho`%";
            long copying = awaitConnection(db, copy, Set.of(), Duration.ofSeconds(30));
            db.execute("KILL " + copying);
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            load.stop();
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(50);
        }
        Files.delete(postpone);
        assertIdentical(db, migration.await(Duration.ofMinutes(1)));
    }

    @Test
    void theMigrationLockIsTakenAgainOnANewConnection(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        String lockName = MigrationLock.name(new TableName(db.name(), "orders"));
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3)) {
            migration = migrate(db, postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            long holder = lockHolder(db, lockName);
            assertThat(holder).isPositive();
            db.execute("KILL " + holder);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long again = lockHolder(db, lockName);
            while ((again == 0 || again == holder) && System.nanoTime() < deadline) {
                Thread.sleep(20);
                again = lockHolder(db, lockName);
            }
            assertThat(again).as("the lock's holder after the kill").isPositive().isNotEqualTo(holder);
            load.stop();
        }
        Files.delete(postpone);
        assertIdentical(db, migration.await(Duration.ofMinutes(1)));
    }

    @Test
    void aLockTakenByAnotherSessionMeanwhileStopsTheMigrationBeforeItsCutover(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        String lockName = MigrationLock.name(new TableName(db.name(), "orders"));
        long connectionsBefore = RefusalsIT.connections(db);
        try (Connection other = db.connect(); WriteLoad load = WriteLoad.start(db, "orders", ROWS, 2)) {
            RunningMigration migration = migrate(db, postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            db.execute("KILL " + lockHolder(db, lockName));
            // "Another migration" takes the lock in the moment it is free; ghost checks it about once a second.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            boolean taken = false;
            while (!taken && System.nanoTime() < deadline) {
                taken = getLock(other, lockName);
            }
            assertThat(taken).as("the lock was free for another session after the kill").isTrue();
            Files.delete(postpone); // the cut-over would be next: it must not happen

            assertThatThrownBy(() -> migration.await(Duration.ofSeconds(30)))
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("`" + db.name() + "`.`orders`")
                    .hasMessageContaining("another migration")
                    .hasMessageContaining("holds it now");
            load.stop();
        }
        assertThat(db.tables()).containsExactly("orders");
        assertThat(RefusalsIT.connectionsSettle(db, connectionsBefore)).as("connections left open")
                .isLessThanOrEqualTo(connectionsBefore);
    }

    /**
     * Runs a migration under writers, kills the connection found running {@code infoLike} {@code kills} times (each
     * time a new one, proving it was reopened) while the cut-over is postponed, then lets it complete.
     */
    private static void killDuringPostponedMigration(TestDatabase db, Path dir, String infoLike, int kills)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 3)) {
            migration = migrate(db, postpone).build().start();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            Set<Long> killed = new java.util.HashSet<>();
            for (int i = 0; i < kills; i++) {
                long id = awaitConnection(db, infoLike, killed, Duration.ofSeconds(30));
                db.execute("KILL " + id);
                killed.add(id);
            }
            // Reopened: the role runs again, on a connection that was not killed.
            awaitConnection(db, infoLike, killed, Duration.ofSeconds(30));
            assertThat(migration.status().state()).isEqualTo(MigrationState.POSTPONED);
            load.stop();
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(50);
        }
        Files.delete(postpone);
        assertIdentical(db, migration.await(Duration.ofMinutes(1)));
    }

    private static void assertIdentical(TestDatabase db, SchemaChangeResult result) {
        assertThat(result.rowsCopied()).isPositive();
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        List<List<String>> before = db.contentOf("_orders_del", COLUMNS, "id");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.queryLong("SELECT COUNT(*) FROM orders WHERE extra <> 7")).isZero();
    }

    /** Polls PROCESSLIST until a session of this database runs a statement like {@code infoLike}; its id. */
    static long awaitConnection(TestDatabase db, String infoLike, Set<Long> excluded, Duration timeout)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = db.connect(); PreparedStatement find = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ? AND ID <> CONNECTION_ID()")) {
            find.setString(1, db.name());
            find.setString(2, infoLike);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = find.executeQuery()) {
                    while (rows.next()) {
                        if (!excluded.contains(rows.getLong(1))) {
                            return rows.getLong(1);
                        }
                    }
                }
            }
        }
        throw new AssertionError("no session ran " + infoLike + " within " + timeout);
    }

    /** The id of the session holding the lock; 0 when none. */
    static long lockHolder(TestDatabase db, String lockName) {
        return db.queryLong("SELECT IFNULL(IS_USED_LOCK('" + lockName + "'), 0)");
    }

    private static boolean getLock(Connection connection, String lockName) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT GET_LOCK('" + lockName + "', 0)")) {
            return rows.next() && rows.getInt(1) == 1;
        }
    }
}
