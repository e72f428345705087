package dev.ghost.examples;

import dev.ghost.BinlogPositioning;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The main scenario on MySQL 8.0 and 8.4, through Testcontainers. Skipped, with the reason in the report, where no
 * Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@Tag("slow")
class MySqlContainersIT {

    private static final int ROWS = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"mysql:8.0", "mysql:8.4"})
    void migratesALiveTableOnMySql(String image) throws Exception {
        migrateUnderWriters(image, null); // the default cut-over: atomic, on MySQL too
    }

    /**
     * rename-under-lock holds the ghost table's write lock while it waits for the replay, which writes that table: it
     * is the default nowhere until this passes under writers on MySQL (no Docker engine here to run it).
     */
    @Test
    void renameUnderLockUnderWritersOnMySql() throws Exception {
        migrateUnderWriters("mysql:8.4", dev.ghost.spi.CutoverStrategy.renameUnderLock());
    }

    private static void migrateUnderWriters(String image, dev.ghost.spi.CutoverStrategy strategy) throws Exception {
        try (MySQLContainer<?> mysql = new MySQLContainer<>(DockerImageName.parse(image))
                .withUsername("ghost").withPassword("ghost-secret")
                .withCommand("--server-id=1", "--log-bin=binlog", "--binlog-format=ROW", "--binlog-row-image=FULL",
                        "--gtid-mode=ON", "--enforce-gtid-consistency=ON")) {
            mysql.start();
            TestServer server = TestServer.external(mysql.getHost(), mysql.getMappedPort(3306), "root",
                    mysql.getPassword());
            TestDatabase db = server.createDatabase("mysql_it");
            MixedTable.create(db, "orders", ROWS);
            WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
            RunningMigration migration;
            try {
                OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder()
                        .connection(server.host(), server.port(), server.user(), server.password())
                        .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                        .chunkSize(500);
                if (strategy != null) {
                    builder.cutoverStrategy(strategy);
                }
                migration = builder.build().start();
                migration.postponeCutover();
                OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(3));
                if (strategy != null) {
                    // The cut-over itself under writes: the lock must not wait for a replay it blocks.
                    migration.unpostponeCutover();
                    assertThat(migration.await(Duration.ofMinutes(2)).oldTable()).isPresent();
                    return;
                }
            } finally {
                load.stop();
            }
            migration.unpostponeCutover();
            SchemaChangeResult result = migration.await(Duration.ofMinutes(2));
            assertThat(result.oldTable()).isPresent();
            List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
            assertThat(db.contentOf("orders", columns, "id")).isEqualTo(db.contentOf("_orders_del", columns, "id"));
        }
    }

    /** {@code --gtid}: refused while the server does not record GTIDs for every transaction, by GTID once it does. */
    @Test
    void gtidPositioningNeedsGtidModeOnAndThenStartsByGtid() throws Exception {
        try (MySQLContainer<?> mysql = new MySQLContainer<>(DockerImageName.parse("mysql:8.4"))
                .withUsername("ghost").withPassword("ghost-secret")
                .withCommand("--server-id=1", "--log-bin=binlog", "--binlog-format=ROW", "--binlog-row-image=FULL",
                        "--gtid-mode=OFF")) {
            mysql.start();
            TestServer server = TestServer.external(mysql.getHost(), mysql.getMappedPort(3306), "root",
                    mysql.getPassword());
            TestDatabase db = server.createDatabase("mysql_gtid");
            MixedTable.create(db, "orders", 2_000);
            List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
            List<List<String>> before = db.contentOf("orders", columns, "id");
            OnlineSchemaChange.Builder byGtid = OnlineSchemaChange.builder()
                    .connection(server.host(), server.port(), server.user(), server.password())
                    .database(db.name()).table("orders").alter("ADD COLUMN extra INT")
                    .binlogPositioning(BinlogPositioning.GTID);

            assertThatThrownBy(() -> byGtid.build().run()).isInstanceOfSatisfying(PreflightCheckException.class,
                    e -> assertThat(e.check()).isEqualTo("gtid")).hasMessageContaining("gtid_mode is OFF")
                    .hasMessageContaining("without --gtid");
            db.execute("SET GLOBAL enforce_gtid_consistency = ON", "SET GLOBAL gtid_mode = OFF_PERMISSIVE",
                    "SET GLOBAL gtid_mode = ON_PERMISSIVE");
            assertThatThrownBy(() -> byGtid.build().run()).isInstanceOf(PreflightCheckException.class)
                    .hasMessageContaining("gtid_mode is ON_PERMISSIVE");
            assertThat(db.tables()).containsExactly("orders");

            db.execute("SET GLOBAL gtid_mode = ON");
            SchemaChangeResult result = byGtid.build().run();
            assertThat(result.rowsCopied()).isEqualTo(2_000);
            assertThat(db.contentOf("orders", columns, "id")).isEqualTo(before);
        }
    }
}
