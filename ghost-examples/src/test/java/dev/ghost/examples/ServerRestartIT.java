package dev.ghost.examples;

import dev.ghost.GhostException;
import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.ThrottlePolicy;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.Sessions;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault matrix, the server restarted mid-copy under 4 writers: stopped cleanly (SIGTERM, as {@code systemctl restart}
 * does) or killed ({@code kill -9}, as the OOM killer does), then started again on the same data directory and port.
 * The binlog and the checkpoint table survive in the data directory. Either ghost rides it out (every role reconnects,
 * the binlog stream goes on from where it stood) and the old and new tables hold the same bytes, or it stops with a
 * clear error leaving exactly what a resume needs, and a run with {@code resume(true)} completes with the same bytes.
 *
 * <p>The test runs a server of its own (of the kind {@code -Dghost.test.server} names): the JVM's shared one serves
 * other test classes and must not be restarted.
 */
@Tag("slow")
class ServerRestartIT {

    private static final int ROWS = 4_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final String ALTER = "ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x'";
    /** No case may take longer than this from the restart to the migration's end. */
    private static final Duration BOUND = Duration.ofMinutes(2);

    private static TestServer server;

    /** How the server goes down before it is started again. */
    enum Restart {
        CLEAN(TestServer::shutDown),
        KILL_DASH_NINE(TestServer::killDashNine);

        private final Consumer<TestServer> stop;

        Restart(Consumer<TestServer> stop) {
            this.stop = stop;
        }
    }

    /** How a restarted migration ended. */
    private record Ending(SchemaChangeResult result, GhostException failure, Duration afterFault,
                          Duration checkpointAfterFault) {
    }

    @BeforeAll
    static void startOwnServer() {
        TestServer.Kind kind = TestServer.configuredKind();
        Assumptions.assumeTrue(kind != TestServer.Kind.EXTERNAL, "restarting needs a server the tests start");
        server = TestServer.start(kind, List.of("--innodb-buffer-pool-size=64M"));
    }

    @AfterAll
    static void stopOwnServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Restart.class)
    void aServerRestartMidCopyIsSurvivedOrResumedToIdenticalRows(Restart restart) throws Exception {
        try (TestDatabase db = server.createDatabase("restart_" + restart.name())) {
            MixedTable.create(db, "orders", ROWS);
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            Ending ending;
            long down;
            try {
                RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.niceRatio(3)).build().start();
                migration.postponeCutover();
                awaitCheckpointWithProgress(db, migration);
                assertThat(migration.status().state()).as("restarted mid-copy").isEqualTo(MigrationState.COPYING);

                long lastCheckpoint = db.queryLong("SELECT MAX(ghost_chk_id) FROM _orders_ghk");
                long faultAt = System.nanoTime();
                restart.stop.accept(server);
                server.startAgain();
                down = Duration.ofNanos(System.nanoTime() - faultAt).toMillis();
                migration.niceRatio(0); // slowed only so that the restart hits the copy; the rest at full speed
                migration.unthrottle();
                ending = awaitEnding(db, migration, load, faultAt, lastCheckpoint);
            } finally {
                load.stop();
            }
            System.out.printf("fault-matrix: server restart (%s) mid-copy, down %d ms: first checkpoint (binlog and "
                            + "replay caught up) %s ms after the stop; %s %d ms after the stop%s; writers lost %d "
                            + "connections%n", restart, down, ending.checkpointAfterFault() == null ? "never"
                            : ending.checkpointAfterFault().toMillis(),
                    ending.failure() == null ? "completed" : "failed", ending.afterFault().toMillis(),
                    ending.failure() == null ? "" : ": " + ending.failure().getMessage(), load.connectionsLost());
            assertThat(load.committed()).as("writes during the migration").isGreaterThan(50);

            if (ending.failure() != null) {
                assertStoppedForAResume(db, ending.failure());
                long resumedAt = System.nanoTime();
                SchemaChangeResult resumed = migrate(db).resume(true).build().run();
                System.out.printf("fault-matrix: server restart (%s) mid-copy: resumed run completed in %d ms, "
                        + "copying %d rows again%n", restart, Duration.ofNanos(System.nanoTime() - resumedAt)
                        .toMillis(), resumed.rowsCopied());
            }
            assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del", "_orders_ghk"); // kept for a revert
            assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
            assertThat(db.queryLong("SELECT COUNT(*) FROM orders WHERE extra <> 'x'")).isZero();
            assertThat(Sessions.ghosts(db, Set.of())).as("ghost's sessions left on the server").isEmpty();
        }
    }

    /**
     * The host goes down with ghost on it: ghost is stopped without clean-up (a panic keeps its tables, as a kill -9
     * would) and the server is killed, mid-copy. Once the server is back (InnoDB recovered, the binlog files and the
     * checkpoint in the data directory), a run with {@code resume(true)} goes on from the checkpoint, whose binlog
     * position is now in a file before the restart, and completes with identical rows.
     */
    @org.junit.jupiter.api.Test
    void aResumeAfterGhostAndTheServerWereBothKilledCompletesWithIdenticalRows() throws Exception {
        try (TestDatabase db = server.createDatabase("restart_both")) {
            MixedTable.create(db, "orders", ROWS);
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            SchemaChangeResult resumed;
            long resumedAt;
            try {
                RunningMigration first = migrate(db).throttlePolicy(ThrottlePolicy.niceRatio(3)).build().start();
                awaitCheckpointWithProgress(db, first);
                first.panic();
                assertThatThrownBy(first::await).isInstanceOf(MigrationCancelledException.class);
                String checkpointFile = db.query("SELECT binlog_file FROM _orders_ghk ORDER BY ghost_chk_id DESC "
                        + "LIMIT 1").get(0).get(0);
                server.killDashNine();
                server.startAgain();
                assertThat(db.query("SHOW MASTER STATUS").get(0).get(0)).as("the binlog file after the restart")
                        .isNotEqualTo(checkpointFile);
                assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc",
                        "_orders_ghk");

                resumedAt = System.nanoTime();
                RunningMigration second = migrate(db).chunkSize(50).resume(true).build().start();
                second.postponeCutover();
                OnlineMigrationIT.awaitState(second, MigrationState.POSTPONED, BOUND);
                load.stop();
                second.unpostponeCutover();
                resumed = second.await(BOUND);
            } finally {
                load.stop();
            }
            System.out.printf("fault-matrix: ghost and the server both killed mid-copy: the resumed run completed "
                    + "%d ms after its start (writers lost %d connections)%n",
                    Duration.ofNanos(System.nanoTime() - resumedAt).toMillis(), load.connectionsLost());
            assertThat(resumed.rowsCopied()).as("rows the resumed run copied").isPositive();
            assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del", "_orders_ghk"); // kept for a revert
            assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
            assertThat(Sessions.ghosts(db, Set.of())).as("ghost's sessions left on the server").isEmpty();
        }
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter(ALTER)
                .chunkSize(10)
                .checkpoint(true).checkpointInterval(Duration.ofSeconds(1));
    }

    /** A failure that leaves the ghost, changelog and checkpoint tables for a resume, the original untouched. */
    private static void assertStoppedForAResume(TestDatabase db, GhostException failure) throws Exception {
        assertThat(failure).isInstanceOf(MigrationFailedException.class);
        assertThat(failure.getMessage()).contains("`" + db.name() + "`.`orders`");
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc", "_orders_ghk");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = 1, SESSION innodb_lock_wait_timeout = 1");
            s.execute("LOCK TABLES orders WRITE"); // nobody holds the table
            s.execute("UNLOCK TABLES");
        }
        assertThat(Sessions.ghosts(db, Set.of())).as("ghost's sessions left on the server").isEmpty();
    }

    /**
     * Holds the copy (the throttle) once a tenth of the rows are copied, then waits for a checkpoint with the copy's
     * progress taken while held: however fast the machine, the fault then hits the copy. The caller unthrottles.
     */
    private static void awaitCheckpointWithProgress(TestDatabase db, RunningMigration migration)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (migration.status().rowsCopied() < ROWS / 10) {
            assertThat(migration.status().state().isTerminal()).as("the migration ended: %s", migration.status())
                    .isFalse();
            assertThat(System.nanoTime()).as("a tenth copied within a minute").isLessThan(deadline);
            Thread.sleep(1);
        }
        migration.throttle();
        long held = db.tables().contains("_orders_ghk") ? db.queryLong("SELECT COUNT(*) FROM _orders_ghk") : 0;
        while (!db.tables().contains("_orders_ghk")
                || db.queryLong("SELECT COUNT(*) FROM _orders_ghk WHERE copied_through IS NOT NULL") == 0
                || db.queryLong("SELECT COUNT(*) FROM _orders_ghk") <= held) {
            assertThat(migration.status().state().isTerminal()).as("the migration ended: %s", migration.status())
                    .isFalse();
            assertThat(System.nanoTime()).as("a checkpoint with the copy's progress within a minute")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Waits for the migration to end: one that rode out the restart reaches the postponed cut-over, where the writers
     * stop and the cut-over is released; a failed one ends on its own. Fails the test when neither happens in time.
     */
    private static Ending awaitEnding(TestDatabase db, RunningMigration migration, WriteLoad load, long faultAt,
                                      long lastCheckpoint) throws Exception {
        long deadline = faultAt + BOUND.toNanos();
        Duration checkpointed = null;
        while (true) {
            if (checkpointed == null && checkpointAfter(db, lastCheckpoint)) {
                checkpointed = Duration.ofNanos(System.nanoTime() - faultAt);
            }
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
                        + " of the restart: " + migration.status());
            }
            Thread.sleep(20);
        }
        try {
            SchemaChangeResult result = migration.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return new Ending(result, null, Duration.ofNanos(System.nanoTime() - faultAt), checkpointed);
        } catch (GhostException e) {
            return new Ending(null, e, Duration.ofNanos(System.nanoTime() - faultAt), checkpointed);
        }
    }

    /**
     * Whether a checkpoint newer than {@code lastCheckpoint} was written: the proof that the binlog stream and the
     * replay are back and caught up through a marker. False while the server (or the table) is not there.
     */
    private static boolean checkpointAfter(TestDatabase db, long lastCheckpoint) {
        try {
            return db.queryLong("SELECT IFNULL(MAX(ghost_chk_id), 0) FROM _orders_ghk") > lastCheckpoint;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
