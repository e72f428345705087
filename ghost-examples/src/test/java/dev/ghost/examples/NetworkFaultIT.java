package dev.ghost.examples;

import dev.ghost.GhostException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.Sessions;
import dev.ghost.testing.TcpProxy;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault matrix, the network between ghost and the server: every connection of the migration (inspection, copy,
 * replay, heartbeat, binlog stream, cut-over) goes through a {@link TcpProxy}, while the test's 4 writers go to the
 * server directly. The network then fails mid-copy: all connections reset at once, or bytes silently stop flowing.
 * Either the migration recovers and the old and the new table hold the same bytes, or it fails cleanly: an error
 * that says what happened, the original untouched and writable, none of ghost's tables, sessions or locks left.
 * Hanging is never acceptable: every case has a bound.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class NetworkFaultIT {

    private static final int ROWS = 20_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    /** Longer than any of ghost's timeouts today: connect 10 s, binlog keep-alive 5 s, reconnects 5 x 5 s. */
    private static final Duration SILENCE = Duration.ofSeconds(40);
    /** No case may take longer than this from the fault to the migration's end. */
    private static final Duration BOUND = Duration.ofMinutes(3);

    /** How a faulted migration ended. */
    private record Ending(SchemaChangeResult result, GhostException failure, Duration afterFault) {
    }

    @Test
    void aResetOfEveryConnectionMidCopyEndsInSuccessOrACleanFailure(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        try (TcpProxy proxy = TcpProxy.start(db.server().host(), db.server().port())) {
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            Ending ending;
            try {
                RunningMigration migration = startMidCopy(db, proxy);
                long faultAt = System.nanoTime();
                int cut = proxy.cutAll();
                assertThat(cut).as("ghost's connections through the proxy").isGreaterThanOrEqualTo(3);
                ending = awaitEnding(migration, load, faultAt);
            } finally {
                load.stop();
            }
            report("reset of every connection mid-copy", ending);
            assertEndedWell(db, proxy, ending);
        }
    }

    @Test
    void aSilentDropMidCopyThatEndsIsSurvivedOrFailsCleanly(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        try (TcpProxy proxy = TcpProxy.start(db.server().host(), db.server().port())) {
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            Ending ending;
            try {
                RunningMigration migration = startMidCopy(db, proxy);
                long faultAt = System.nanoTime();
                proxy.pause();
                Thread.sleep(SILENCE.toMillis());
                MigrationState during = migration.status().state();
                proxy.resume();
                System.out.printf("fault-matrix: after %s of silence the migration was %s%n", SILENCE, during);
                ending = awaitEnding(migration, load, faultAt);
            } finally {
                proxy.resume();
                load.stop();
            }
            report("silent drop of " + SILENCE.toSeconds() + " s mid-copy", ending);
            assertEndedWell(db, proxy, ending);
        }
    }

    /**
     * The network never comes back: the migration must fail within its timeouts (well within {@link #BOUND}), not
     * hang. What it cannot drop
     * while the network is down, it names ({@code remainingTables}).
     */
    @Test
    void aSilentDropThatNeverEndsFailsWithinTheTimeouts(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        try (TcpProxy proxy = TcpProxy.start(db.server().host(), db.server().port())) {
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            RunningMigration migration;
            long faultAt;
            try {
                migration = startMidCopy(db, proxy);
                faultAt = System.nanoTime();
                proxy.pause();
            } finally {
                load.stop();
            }
            GhostException failure = null;
            try {
                migration.await(BOUND);
            } catch (TimeoutException e) {
                throw new AssertionError("the migration still runs " + BOUND + " into a silent drop: "
                        + migration.status(), e);
            } catch (GhostException e) {
                failure = e;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - faultAt);
            System.out.printf("fault-matrix: silent drop that never ends: failed after %d ms: %s%n", took.toMillis(),
                    failure == null ? "it completed?" : failure.getMessage());
            assertThat(failure).isInstanceOf(MigrationFailedException.class);
            proxy.resume(); // the network is back: whatever ghost left behind, the test can now see and drop
            assertThat(Sessions.through(db, proxy)).as("ghost's sessions").isEmpty();
            for (String table : ((MigrationFailedException) failure).remainingTables()) {
                assertThat(failure.getMessage()).contains(table);
                db.execute("DROP TABLE IF EXISTS " + table);
            }
            assertThat(db.tables()).containsExactly("orders");
        }
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, TcpProxy proxy) {
        return OnlineSchemaChange.builder()
                .connection(proxy.host(), proxy.port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders")
                .alter("ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x'")
                .chunkSize(50)
                .cutoverLockTimeout(Duration.ofSeconds(1))
                .defaultRetries(3);
    }

    /**
     * Starts the migration with its cut-over postponed (the writers stop before it, so that the old table can be
     * compared byte for byte with the new one), and returns once a quarter of the rows are copied.
     */
    private static RunningMigration startMidCopy(TestDatabase db, TcpProxy proxy) throws Exception {
        RunningMigration migration = migrate(db, proxy).build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (migration.status().rowsCopied() < ROWS / 4) {
            assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);
            assertThat(System.nanoTime()).as("a quarter copied within a minute").isLessThan(deadline);
            Thread.sleep(5);
        }
        return migration;
    }

    /**
     * Waits for the migration to end: a recovered one reaches the postponed cut-over, where the writers stop and the
     * cut-over is released; a failed one ends on its own. Fails the test when neither happens within the bound.
     */
    private static Ending awaitEnding(RunningMigration migration, WriteLoad load, long faultAt) throws Exception {
        long deadline = faultAt + BOUND.toNanos();
        while (true) {
            MigrationState state = migration.status().state();
            if (state == MigrationState.POSTPONED) {
                load.stop();
                migration.unpostponeCutover();
                break;
            }
            if (state.isTerminal()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the migration neither recovered nor failed within " + BOUND
                        + " of the fault: " + migration.status());
            }
            Thread.sleep(20);
        }
        try {
            SchemaChangeResult result = migration.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return new Ending(result, null, Duration.ofNanos(System.nanoTime() - faultAt));
        } catch (GhostException e) {
            return new Ending(null, e, Duration.ofNanos(System.nanoTime() - faultAt));
        }
    }

    private static void report(String fault, Ending ending) {
        System.out.printf("fault-matrix: %s: %s %d ms after the fault%s%n", fault,
                ending.failure() == null ? "completed" : "failed", ending.afterFault().toMillis(),
                ending.failure() == null ? "" : ": " + ending.failure().getMessage());
    }

    /** Success with the same bytes, or a clean failure; either way nothing of ghost's is left. */
    private static void assertEndedWell(TestDatabase db, TcpProxy proxy, Ending ending) throws Exception {
        if (ending.failure() == null) {
            assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
            assertThat(db.tables()).containsExactlyInAnyOrder("_orders_del", "orders");
        } else {
            assertThat(ending.failure()).isInstanceOf(MigrationFailedException.class);
            assertThat(ending.failure().getMessage()).contains(db.name() + ".orders");
            assertThat(((MigrationFailedException) ending.failure()).remainingTables()).isEmpty();
            assertThat(db.tables()).containsExactly("orders");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = 1, SESSION innodb_lock_wait_timeout = 1");
                s.execute("LOCK TABLES orders WRITE"); // nobody holds the table
                s.execute("UNLOCK TABLES");
                s.execute("INSERT INTO orders (name, created) VALUES ('after the fault', NOW(6))");
            }
        }
        assertThat(Sessions.through(db, proxy)).as("ghost's sessions left on the server").isEmpty();
        assertThat(Sessions.ghosts(db, Set.of())).as("sessions on the test's schema").isEmpty();
        assertThat(proxy.openConnections()).as("ghost's connections still open through the proxy").isZero();
    }
}
