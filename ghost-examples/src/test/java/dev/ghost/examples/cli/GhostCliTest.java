package dev.ghost.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's answers that need no database: help, version, refusals, and errors before the migration. */
class GhostCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Optional<String> typedPassword = Optional.empty();

    private int run(String... args) {
        GhostCli cli = new GhostCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> typedPassword, name -> null,
                Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC));
        return cli.run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsHelpAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("Usage of ghost:\n").contains("  -alter string\n")
                .contains("  -test-on-replica\n").contains("  -tungsten\n")
                .contains("[not supported yet by ghost: Tungsten replication is not supported");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void printsHelpForDashH() {
        assertThat(run("-h")).isZero();
        assertThat(stdout()).contains("Usage of ghost:");
    }

    @Test
    void printsTheVersion() {
        assertThat(run("--version")).isZero();
        assertThat(stdout()).isEqualTo("ghost unversioned (gh-ost compatible command line)\n");
    }

    @Test
    void exitsTwoForAFlagGhOstDoesNotHave() {
        assertThat(run("--alter=x", "--no-such-flag")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("flag provided but not defined: -no-such-flag\n"
                + "Run 'ghost --help' for the list of flags.\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void exitsTwoForAFlagWithoutItsValueOrALeftoverArgument() {
        assertThat(run("--execute", "--alter")).isEqualTo(2);
        assertThat(stderr()).startsWith("flag needs an argument: -alter\n");

        err.reset();
        assertThat(run("--alter", "x", "extra")).isEqualTo(2);
        assertThat(stderr()).startsWith("unexpected argument \"extra\"");
    }

    @Test
    void refusesBeforeConnecting() {
        // port 1 would fail to connect: the refusal must come first
        assertThat(run("--port=1", "--user=u", "--database=test", "--table=t", "--alter=engine=innodb",
                "--storage-engine=rocksdb", "--tungsten", "--execute")).isEqualTo(1);
        assertThat(stderr()).isEqualTo(
                "2024-05-01 12:00:00 FATAL flag --storage-engine is not supported yet by ghost: ghost migrates "
                        + "InnoDB tables only: gh-ost's rocksdb mode (MyRocks tables, copied under READ COMMITTED) is "
                        + "not implemented; use innodb\n"
                        + "2024-05-01 12:00:00 FATAL flag --tungsten is not supported yet by ghost: Tungsten "
                        + "replication is not supported\n");
    }

    @Test
    void saysWhatIsMissing() {
        assertThat(run("--execute")).isEqualTo(1);
        assertThat(stderr()).isEqualTo(
                "2024-05-01 12:00:00 FATAL --alter must be provided and statement must not be empty\n");
    }

    @Test
    void reportsInvalidSettingsInOneLineBeforeConnecting() {
        assertThat(run("--port=1", "--database=test", "--table=t", "--alter=engine=innodb", "--chunk-size=50",
                "--allow-on-master")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("2024-05-01 12:00:00 FATAL invalid settings: connection: a user is required\n");
    }

    @Test
    void notesIgnoredFlagsAndFailsWhenTheServerCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThat(run("--port=" + closedPort, "--user=u", "--database=test", "--table=t", "--alter=engine=innodb",
                "--allow-on-master", "--skip-metadata-lock-check")).isEqualTo(1);
        assertThat(stderr()).startsWith("2024-05-01 12:00:00 WARN flag --skip-metadata-lock-check is ignored by ghost: "
                        + "ghost's cut-over does not read performance_schema\n"
                        + "2024-05-01 12:00:00 FATAL cannot connect to 127.0.0.1:" + closedPort
                        + " to check its replication role: ")
                .contains("Communications link failure");
        assertThat(stderr().lines()).hasSize(2);
    }

    @Test
    void refusesAskPassWithoutATerminal() {
        assertThat(run("--user=u", "--database=test", "--table=t", "--alter=x", "--ask-pass")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("2024-05-01 12:00:00 FATAL --ask-pass needs a terminal to read the password "
                + "from; use --password or --conf instead\n");
    }

    @Test
    void answersCheckFlag() {
        assertThat(run("--check-flag", "--chunk-size", "10", "--gtid", "--max-load=Threads_running=1")).isZero();
        assertThat(run("--check-flag", "--timestamp-old-table", "--cut-over=two-step")).isZero();
        assertThat(run("--check-flag", "--tungsten")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("flag --tungsten is not supported yet by ghost: Tungsten replication is not "
                + "supported\n");
        assertThat(run("--check-flag", "--made-up")).isEqualTo(2);
    }

    /**
     * The value each gh-ost flag that takes one gets below (gh-ost's main.go at 145799ee: every flag not listed here
     * is a bool). A plausible value, so that the check is about the flag, not about its value.
     */
    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("host", "db1"), Map.entry("assume-master-host", "db0:3306"), Map.entry("port", "3307"),
            Map.entry("mysql-timeout", "5"), Map.entry("user", "u"), Map.entry("password", "p"),
            Map.entry("master-user", "mu"), Map.entry("master-password", "mp"), Map.entry("conf", "/etc/ghost.cnf"),
            Map.entry("charset", "utf8mb4"), Map.entry("ssl-ca", "/ca.pem"), Map.entry("ssl-cert", "/c.pem"),
            Map.entry("ssl-key", "/k.pem"), Map.entry("database", "shop"), Map.entry("table", "orders"),
            Map.entry("alter", "ADD COLUMN c INT"), Map.entry("storage-engine", "innodb"),
            Map.entry("cut-over", "two-step"), Map.entry("exponential-backoff-max-interval", "32"),
            Map.entry("chunk-size", "500"), Map.entry("dml-batch-size", "20"), Map.entry("default-retries", "5"),
            Map.entry("cut-over-lock-timeout-seconds", "2"), Map.entry("nice-ratio", "0.5"),
            Map.entry("max-lag-millis", "2000"), Map.entry("replication-lag-query", "SELECT 1"),
            Map.entry("throttle-control-replicas", "r1:3306"), Map.entry("throttle-query", "SELECT 0"),
            Map.entry("throttle-http", "http://127.0.0.1:1/ok"), Map.entry("throttle-http-interval-millis", "200"),
            Map.entry("throttle-http-timeout-millis", "500"), Map.entry("heartbeat-interval-millis", "200"),
            Map.entry("throttle-flag-file", "/tmp/t"), Map.entry("throttle-additional-flag-file", "/tmp/t2"),
            Map.entry("postpone-cut-over-flag-file", "/tmp/p"), Map.entry("panic-flag-file", "/tmp/x"),
            Map.entry("serve-socket-file", "/tmp/s.sock"), Map.entry("serve-tcp-port", "7000"),
            Map.entry("hooks-path", "/hooks"), Map.entry("hooks-hint", "h"), Map.entry("hooks-hint-owner", "o"),
            Map.entry("hooks-hint-token", "t"), Map.entry("hooks-status-interval", "30"),
            Map.entry("replica-server-id", "12345"), Map.entry("binlogsyncer-max-reconnect-attempts", "3"),
            Map.entry("trigger-suffix", "_v2"), Map.entry("checkpoint-seconds", "60"),
            Map.entry("old-table", "_orders_del"), Map.entry("max-load", "Threads_running=25"),
            Map.entry("critical-load", "Threads_running=1000"), Map.entry("critical-load-interval-millis", "100"),
            Map.entry("critical-load-hibernate-seconds", "10"), Map.entry("statsd-addr", "127.0.0.1:8125"),
            Map.entry("statsd-tags", "env:prod"), Map.entry("runtime-metrics-interval", "5"),
            Map.entry("force-table-names", "orders_tmp"));

    /** What ghost cannot do whatever it is given: gh-ost's flags for a topology or an engine that is not there. */
    private static final Set<String> IMPOSSIBLE = Set.of("tungsten");

    @Test
    void acceptsEveryGhOstFlagButTheImpossibleOnes() {
        for (String flag : FlagTableTest.GH_OST_FLAGS) {
            String argument = VALUES.containsKey(flag) ? "--" + flag + "=" + VALUES.get(flag) : "--" + flag;
            err.reset();

            int exit = run("--check-flag", argument);

            assertThat(exit).as("--check-flag %s: %s", argument, stderr())
                    .isEqualTo(IMPOSSIBLE.contains(flag) ? 1 : 0);
        }
    }

    @Test
    void refusesRocksDbWithItsReason() {
        assertThat(run("--check-flag", "--storage-engine=rocksdb")).isEqualTo(1);
        assertThat(stderr()).contains("--storage-engine", "InnoDB tables only", "MyRocks");
        err.reset();
        assertThat(run("--storage-engine=rocksdb", "--user=u", "--database=test", "--table=t", "--alter=x"))
                .isEqualTo(1);
        assertThat(stderr()).contains("MyRocks");
        assertThat(run("--check-flag", "--storage-engine=InnoDB")).isZero();
    }
}
