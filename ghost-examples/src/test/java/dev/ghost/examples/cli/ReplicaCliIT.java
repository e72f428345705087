package dev.ghost.examples.cli;

import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.ReplicaServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line picks gh-ost's topology from the server given as --host: a replica is read, its master written. */
@ExtendWith(RealServer.class)
class ReplicaCliIT {

    private static ReplicaServer replication;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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

    private int run(TestServer host, TestDatabase db, Path dir, String... extra) {
        GhostCli cli = new GhostCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty, name -> null,
                Clock.systemUTC());
        List<String> args = new ArrayList<>(List.of("--host=" + host.host(), "--port=" + host.port(),
                "--user=" + host.user(), "--password=" + host.password(), "--database=" + db.name(),
                "--table=orders", "--alter=ADD COLUMN extra INT", "--execute", "--chunk-size=100",
                "--serve-socket-file=" + dir.resolve("ghost.sock")));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void aReplicaAsHostIsReadAndItsMasterMigrated(TestDatabase db, @TempDir Path dir) {
        MixedTable.create(db, "orders", 1_000);
        replication.awaitCaughtUp();
        assertThat(run(replication.replica(), db, dir)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        assertThat(db.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("`extra`");
        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        assertThat(db.contentOf("orders", columns, "id")).isEqualTo(db.contentOf("_orders_del", columns, "id"));
    }

    @Test
    void aMasterAsHostNeedsAllowOnMasterInGhOstsWords(TestDatabase db, @TempDir Path dir) {
        MixedTable.create(db, "orders", 10);
        assertThat(run(db.server(), db, dir)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("it seems like this migration attempt to run directly on master");
        assertThat(db.tables()).containsExactly("orders");
    }
}
