package dev.ghost.examples;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.ReplicaServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gh-ost's replica modes on a real primary and replica: the test's schema is created on the shared server (the
 * master) and replicates to a second server started for this class. Writers keep writing on the master throughout.
 */
@ExtendWith(RealServer.class)
class ReplicaModesIT {

    private static final int ROWS = 5_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static ReplicaServer replication;

    @BeforeAll
    static void startReplica() {
        replication = ReplicaServer.ofSharedServer();
    }

    @AfterAll
    static void stopReplica() {
        if (replication != null) {
            replication.close();
        }
    }

    @AfterEach
    void keepReplicating() {
        // A test may leave replication stopped (as --test-on-replica does): the next one needs it running.
        replication.execute("START SLAVE");
    }

    private static OnlineSchemaChange.Builder onReplica(TestDatabase db, String alter) {
        TestServer replica = replication.replica();
        return OnlineSchemaChange.builder()
                .connection(replica.host(), replica.port(), replica.user(), replica.password())
                .database(db.name()).table("orders").alter(alter).chunkSize(200);
    }

    @Test
    void testOnReplicaSwapsAndSwapsBackWithReplicationStopped(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        replication.awaitCaughtUp();
        SchemaChangeResult result;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            result = onReplica(db, "ADD COLUMN extra INT NOT NULL DEFAULT 7").testOnReplica(true).build().run();
            assertThat(load.committed()).as("writes on the master during the migration").isPositive();
        }
        assertThat(result.oldTable()).contains(db.name() + ".orders");
        assertThat(replication.status()).isEqualTo("No/No");
        TestDatabase onReplica = replication.database(db);
        assertThat(onReplica.tables()).containsExactlyInAnyOrder("orders", "_orders_gho");
        assertThat(onReplica.contentOf("_orders_gho", COLUMNS, "id"))
                .isEqualTo(onReplica.contentOf("orders", COLUMNS, "id")).hasSizeGreaterThan(ROWS / 2);
        assertThat(onReplica.query("SHOW CREATE TABLE _orders_gho").get(0).get(1)).contains("`extra`");
        assertThat(onReplica.query("SHOW CREATE TABLE orders").get(0).get(1)).doesNotContain("`extra`");
    }

    /**
     * --attempt-instant-ddl with --test-on-replica: gh-ost would ALTER the replica's table for good; ghost predicts on
     * the ghost table and tests the full migration, leaving the replica's table as it was.
     */
    @Test
    void attemptInstantDdlLeavesTheTableOfAReplicaUnderTestAsItWas(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        replication.awaitCaughtUp();
        SchemaChangeResult result = onReplica(db, "ADD COLUMN extra INT NOT NULL DEFAULT 7").testOnReplica(true)
                .attemptInstantDdl(true).build().run();

        assertThat(result.instantDdl()).isFalse();
        assertThat(result.rowsCopied()).isEqualTo(ROWS);
        TestDatabase onReplica = replication.database(db);
        assertThat(onReplica.query("SHOW CREATE TABLE orders").get(0).get(1)).doesNotContain("`extra`");
        assertThat(onReplica.query("SHOW CREATE TABLE _orders_gho").get(0).get(1)).contains("`extra`");
        assertThat(onReplica.contentOf("_orders_gho", COLUMNS, "id"))
                .isEqualTo(onReplica.contentOf("orders", COLUMNS, "id"));
    }

    /** Reading a replica, the instant ALTER runs on the master and reaches the replica like any statement. */
    @Test
    void attemptInstantDdlViaReplicaAltersTheMasterAndReplicates(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        replication.awaitCaughtUp();
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        SchemaChangeResult result = onReplica(db, "ADD COLUMN extra INT NOT NULL DEFAULT 7").viaReplica(true)
                .attemptInstantDdl(true).build().run();

        assertThat(result.instantDdl()).isTrue();
        replication.awaitCaughtUp();
        TestDatabase onReplica = replication.database(db);
        for (TestDatabase side : List.of(db, onReplica)) {
            assertThat(side.tables()).containsExactly("orders");
            assertThat(side.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("`extra`");
            assertThat(side.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        }
        assertThat(replication.awaitRunning(Duration.ofSeconds(10))).isEqualTo("Yes/Yes");
    }

    @Test
    void migrateOnReplicaCutsOverAndReplicatesOnIntoTheNewTable(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        replication.awaitCaughtUp();
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            SchemaChangeResult result = onReplica(db, "ADD COLUMN extra INT NOT NULL DEFAULT 7")
                    .migrateOnReplica(true).build().run();
            assertThat(result.oldTable()).contains(db.name() + "._orders_del");
            Thread.sleep(300); // writes after the cut-over reach the new table through replication
        }
        assertThat(replication.awaitRunning(Duration.ofSeconds(10))).isEqualTo("Yes/Yes");
        replication.awaitCaughtUp();
        TestDatabase onReplica = replication.database(db);
        assertThat(onReplica.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("`extra`");
        assertThat(onReplica.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("orders", COLUMNS, "id"));
        assertThat(db.tables()).containsExactly("orders"); // the master was never written by ghost
    }

    /** gh-ost's default: read the replica (binlog, table), write everything on its master. */
    @org.junit.jupiter.params.ParameterizedTest(name = "master given: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void viaReplicaReadsTheReplicaAndMigratesOnTheMaster(boolean masterGiven, TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        replication.awaitCaughtUp();
        OnlineSchemaChange.Builder builder = onReplica(db, "ADD COLUMN extra INT NOT NULL DEFAULT 7").viaReplica(true);
        if (masterGiven) {
            builder.master(dev.ghost.ServerAddress.of(db.server().host(), db.server().port()));
        }
        dev.ghost.RunningMigration migration;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            migration = builder.build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, dev.ghost.MigrationState.POSTPONED, Duration.ofMinutes(2));
            assertThat(load.committed()).as("writes on the master during the copy").isPositive();
            assertThat(migration.status().lag()).as("the replica's lag, measured").isLessThan(Duration.ofSeconds(5));
        }
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(1));
        assertThat(result.oldTable()).contains(db.name() + "._orders_del");
        assertThat(db.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("`extra`");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        replication.awaitCaughtUp(); // the cut-over replicates like any statement of the master
        TestDatabase onReplica = replication.database(db);
        assertThat(onReplica.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        assertThat(onReplica.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("orders", COLUMNS, "id"));
        assertThat(replication.awaitRunning(Duration.ofSeconds(10))).isEqualTo("Yes/Yes");
    }

    /** --switch-to-rbr: a replica logging statements is refused, or switched to ROW when asked. */
    @Test
    void aStatementFormatReplicaIsRefusedUnlessSwitchedToRow(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 500);
        replication.awaitCaughtUp();
        replication.execute("SET GLOBAL binlog_format = 'STATEMENT'", "STOP SLAVE", "START SLAVE");
        try {
            assertThatThrownBy(() -> onReplica(db, "ADD COLUMN extra INT").viaReplica(true).build().run())
                    .isInstanceOf(PreflightCheckException.class).hasMessageContaining("binlog_format is STATEMENT");
            SchemaChangeResult result = onReplica(db, "ADD COLUMN extra INT").viaReplica(true).switchToRbr(true)
                    .replicaServerId(4242).build().run();
            assertThat(result.rowsCopied()).isEqualTo(500);
            assertThat(replication.database(db).query("SELECT @@global.binlog_format").get(0).get(0))
                    .isEqualTo("ROW");
        } finally {
            replication.execute("SET GLOBAL binlog_format = 'ROW'", "STOP SLAVE", "START SLAVE");
        }
    }

    /** --allow-master-master: a master that replicates from another one is written on only when allowed. */
    @Test
    void aServerThatReplicatesIsWrittenOnOnlyAsAMasterMasterPair(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        replication.awaitCaughtUp();
        assertThatThrownBy(() -> onReplica(db, "ADD COLUMN extra INT").build().run())
                .hasMessageContaining("--allow-master-master");
        // The test replica stands in for the second master of a pair (its own writes would not replicate back).
        SchemaChangeResult result = onReplica(db, "ADD COLUMN extra INT").allowMasterMaster(true).build().run();
        assertThat(result.rowsCopied()).isEqualTo(100);
    }

    /** --throttle-control-replicas: a replica that stops applying holds the copy until it replicates again. */
    @Test
    void aLaggingControlReplicaHoldsTheCopyUntilItCatchesUp(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 2_000);
        replication.awaitCaughtUp();
        replication.execute("STOP SLAVE SQL_THREAD");
        TestServer replica = replication.replica();
        dev.ghost.RunningMigration migration = OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT").chunkSize(100)
                .throttleControlReplicas(List.of(dev.ghost.ServerAddress.of(replica.host(), replica.port())))
                .throttlePolicy(dev.ghost.spi.ThrottlePolicy.maxLag(Duration.ofMillis(500)))
                .build().start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (migration.status().throttleReason().filter(r -> r.contains("replica")).isEmpty()) {
            assertThat(System.nanoTime()).as("throttled by the replica: " + migration.status()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(migration.status().throttleReason().orElseThrow())
                .contains(replica.host() + ":" + replica.port(), "replication is not running");
        Thread.sleep(1_000);
        assertThat(migration.status().rowsCopied()).as("no row copied while the replica lags").isZero();
        replication.execute("START SLAVE");
        SchemaChangeResult result = migration.await(Duration.ofMinutes(1));
        assertThat(result.rowsCopied()).isEqualTo(2_000);
    }

    @Test
    void aReplicaIsRefusedUnlessTheTopologySaysSo(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        replication.awaitCaughtUp();
        assertThatThrownBy(() -> onReplica(db, "ADD COLUMN extra INT").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check())
                        .isEqualTo("replication"))
                .hasMessageContainingAll("`orders`", "replicates from", "--test-on-replica");
        assertThat(replication.database(db).tables()).containsExactly("orders");
    }

    @Test
    void aMasterIsRefusedForTestOnReplica(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        assertThatThrownBy(() -> OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT").testOnReplica(true).build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check())
                        .isEqualTo("replication"))
                .hasMessageContaining("does not replicate");
        assertThat(db.tables()).containsExactly("orders");
    }

    /** MariaDB lets only SLAVE MONITOR read SHOW SLAVE STATUS; a user with the documented grants still migrates. */
    @Test
    void aUserWhoMayNotReadTheReplicationStatusStillMigratesOnTheMaster(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        String user = "minimal_" + db.name().hashCode() % 10_000;
        db.execute("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'pw'",
                "GRANT ALL ON `" + db.name() + "`.* TO '" + user + "'@'127.0.0.1'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'127.0.0.1'");
        try {
            SchemaChangeResult result = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), user, "pw")
                    .database(db.name()).table("orders").alter("ADD COLUMN extra INT").build().run();
            assertThat(result.rowsCopied()).isEqualTo(100);
        } finally {
            db.execute("DROP USER '" + user + "'@'127.0.0.1'");
        }
    }

    @Test
    void aReplicaWhoseSqlThreadIsStoppedIsRefused(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        replication.awaitCaughtUp();
        replication.execute("STOP SLAVE SQL_THREAD");
        assertThatThrownBy(() -> onReplica(db, "ADD COLUMN extra INT").migrateOnReplica(true).build().run())
                .isInstanceOf(PreflightCheckException.class).hasMessageContaining("SQL thread is not running");
        assertThat(replication.database(db).tables()).containsExactly("orders");
        assertThat(replication.status()).isEqualTo("Yes/No");
    }

    @Test
    void replicationIsStartedAgainWhenAMigrationOnTheReplicaFails(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 100);
        replication.awaitCaughtUp();
        assertThatThrownBy(() -> onReplica(db, "ADD COLUMN extra INT").migrateOnReplica(true)
                .cutoverLockTimeout(Duration.ofSeconds(1)).defaultRetries(1)
                .listener(new dev.ghost.event.MigrationListener() {
                    @Override
                    public boolean approveCutover(String table, int attempt) {
                        return false; // every attempt vetoed, after replication was stopped for it
                    }
                }).build().run()).isInstanceOf(dev.ghost.GhostException.class);
        assertThat(replication.awaitRunning(Duration.ofSeconds(10))).isEqualTo("Yes/Yes");
    }
}
