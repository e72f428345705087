package dev.ghost.examples.cli;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.internal.throttle.ReplicaLagPolicy;
import dev.ghost.spi.TableName;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.TlsServer;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on every connection, against a server of its own with TLS on and users that must use it: a user created
 * {@code REQUIRE SSL} is refused any connection without TLS, so a migration by that user that replays writes made
 * during it proves that the binlog stream, too, ran over TLS.
 */
@ExtendWith(RealServer.class)
class TlsIT {

    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static TlsServer tls;
    private TestDatabase db;

    @BeforeAll
    static void startTlsServer() {
        tls = TlsServer.start();
    }

    @AfterAll
    static void stopTlsServer() {
        if (tls != null) {
            tls.close();
        }
    }

    @BeforeEach
    void createDatabase() {
        db = tls.server().createDatabase("tls");
        MixedTable.create(db, "orders", 2_000);
    }

    @AfterEach
    void dropDatabase() {
        db.execute("DROP DATABASE `" + db.name() + "`");
    }

    private OnlineSchemaChange.Builder migrate(String user, Tls settings) {
        TestServer server = tls.server();
        return OnlineSchemaChange.builder()
                .connection(server.host(), server.port(), user, TlsServer.PASSWORD)
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                .chunkSize(100).tls(settings);
    }

    @Test
    void aVerifiedConnectionMigratesWithWritesReplayedThroughTheTlsBinlogStream(@TempDir Path dir)
            throws Exception {
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration;
        WriteLoad load = WriteLoad.start(db, "orders", 2_000, 2);
        try {
            migration = migrate(TlsServer.TLS_USER, Tls.verifyIdentity().ca(tls.file("ca.pem")))
                    .postponeCutoverFlagFile(postpone).build().start();
            awaitState(migration, MigrationState.POSTPONED);
            long committed = load.committed();
            while (load.committed() < committed + 50) {
                Thread.sleep(10); // writes after the copy: only the binlog stream brings them over
            }
        } finally {
            load.stop();
        }
        Files.delete(postpone);
        SchemaChangeResult result = migration.await();

        assertThat(result.eventsApplied()).isPositive();
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE extra <> 7")).containsExactly(List.of("0"));
    }

    @Test
    void theTestUserIsRefusedWithoutTls() {
        // The control for the test above: the REQUIRE SSL user really cannot connect in plain text.
        assertThatThrownBy(() -> migrate(TlsServer.TLS_USER, Tls.disabled()).build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("connection"))
                .hasMessageContainingAll("Access denied", "REQUIRE SSL: use --ssl");
        assertThat(db.tables()).containsExactly("orders");
    }

    @Test
    void anUnverifiedConnectionMigrates() {
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");

        SchemaChangeResult result = migrate(TlsServer.TLS_USER, Tls.required()).build().run();

        assertThat(result.rowsCopied()).isEqualTo(2_000);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void aClientCertificateInPkcs1FormIsPresented() {
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");

        SchemaChangeResult result = migrate(TlsServer.X509_USER, Tls.verifyCa().ca(tls.file("ca.pem"))
                .clientCertificate(tls.file("client-cert.pem"), tls.file("client-key-pkcs1.pem"))).build().run();

        assertThat(result.rowsCopied()).isEqualTo(2_000);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void aWrongCaIsRefusedBeforeAnythingIsCreated() {
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        String server = tls.server().host() + ":" + tls.server().port();

        assertThatThrownBy(() -> migrate(TlsServer.TLS_USER, Tls.verifyIdentity().ca(tls.file("other-ca.pem")))
                .build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class,
                        e -> assertThat(e.check()).isEqualTo("connection"))
                .hasMessageContainingAll("cannot connect to " + server, "the TLS certificate of " + server
                        + " is not signed by a CA ghost trusts", tls.file("other-ca.pem") + " (--ssl-ca)",
                        "--ssl-allow-insecure");
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.processlist WHERE user = '"
                + TlsServer.TLS_USER + "'")).isZero();
    }

    @Test
    void aServerWithoutTlsIsRefusedWhenTlsIsRequired() {
        TestServer plain = TestServer.shared(); // started with --skip-ssl
        TestDatabase plainDb = plain.createDatabase("tls_plain");
        try {
            plainDb.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            String server = plain.host() + ":" + plain.port();

            assertThatThrownBy(() -> OnlineSchemaChange.builder()
                    .connection(plain.host(), plain.port(), plain.user(), plain.password())
                    .database(plainDb.name()).table("orders").alter("ADD COLUMN c INT")
                    .tls(Tls.required()).build().run())
                    .isInstanceOfSatisfying(PreflightCheckException.class,
                            e -> assertThat(e.check()).isEqualTo("connection"))
                    .hasMessageContaining(server + " does not offer TLS, but REQUIRED requires it; enable TLS on the "
                            + "server");
            assertThat(plainDb.tables()).containsExactly("orders");
        } finally {
            plainDb.close();
        }
    }

    @Test
    void controlReplicasAreReadWithTheSameTls() {
        // The TLS server stands in for a control replica: its heartbeat row is read by the REQUIRE SSL user.
        db.execute("CREATE TABLE _orders_ghc (id INT PRIMARY KEY, hint VARCHAR(64), value VARCHAR(255))",
                "INSERT INTO _orders_ghc VALUES (1, 'heartbeat', CAST(ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS CHAR))");
        ServerAddress replica = ServerAddress.of(tls.server().host(), tls.server().port());
        TableName changelog = new TableName(db.name(), "_orders_ghc");

        try (ReplicaLagPolicy verified = new ReplicaLagPolicy(List.of(replica), TlsServer.TLS_USER,
                TlsServer.PASSWORD, Tls.verifyIdentity().ca(tls.file("ca.pem")), changelog,
                () -> Duration.ofMinutes(1));
             ReplicaLagPolicy wrongCa = new ReplicaLagPolicy(List.of(replica), TlsServer.TLS_USER,
                     TlsServer.PASSWORD, Tls.verifyIdentity().ca(tls.file("other-ca.pem")), changelog,
                     () -> Duration.ofMinutes(1))) {
            assertThat(verified.evaluate(null).throttled()).as(verified.evaluate(null).reason()).isFalse();
            assertThat(verified.lags()).containsKey(replica);

            assertThat(wrongCa.evaluate(null).reason()).contains("replica " + replica + " lag unknown: the TLS "
                    + "certificate of " + replica + " is not signed by a CA ghost trusts");
        }
    }

    @Test
    void theCommandLineMigratesWithSslAndSslCa(@TempDir Path dir) {
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        Output output = new Output();

        int exit = output.cli().run(cliArgs(dir, "--ssl", "--ssl-ca=" + tls.file("ca.pem")));

        assertThat(exit).as(output.err()).isZero();
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
    }

    @Test
    void theCommandLineSaysWhatIsWrongWithTheCa(@TempDir Path dir) {
        Output output = new Output();

        int exit = output.cli().run(cliArgs(dir, "--ssl", "--ssl-ca=" + tls.file("other-ca.pem")));

        assertThat(exit).isEqualTo(1);
        assertThat(output.err()).contains("is not signed by a CA ghost trusts",
                tls.file("other-ca.pem") + " (--ssl-ca)");
        assertThat(db.tables()).containsExactly("orders");
    }

    private String[] cliArgs(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--host=" + tls.server().host(), "--port=" + tls.server().port(),
                "--user=" + TlsServer.TLS_USER, "--password=" + TlsServer.PASSWORD, "--database=" + db.name(),
                "--table=orders", "--alter=ADD COLUMN extra INT", "--allow-on-master", "--execute",
                "--chunk-size=100", "--serve-socket-file=" + dir.resolve("ghost.sock")));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static final class Output {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        GhostCli cli() {
            return new GhostCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty, name -> null,
                    Clock.systemUTC());
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private static void awaitState(RunningMigration migration, MigrationState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (migration.status().state() != state) {
            if (migration.status().state().isTerminal()) {
                migration.await(); // throws the failure
                throw new AssertionError("migration ended in " + migration.status().state() + " before " + state);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + state + " within 2 minutes: " + migration.status());
            }
            Thread.sleep(50);
        }
    }
}
