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
import java.util.Optional;

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
                "--tungsten", "--skip-strict-mode", "--execute")).isEqualTo(1);
        assertThat(stderr()).isEqualTo(
                "2024-05-01 12:00:00 FATAL flag --tungsten is not supported yet by ghost: Tungsten "
                        + "replication is not supported\n"
                        + "2024-05-01 12:00:00 FATAL flag --skip-strict-mode is not supported yet by ghost: ghost "
                        + "applies the binlog in strict mode only\n");
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
        assertThat(stderr()).isEqualTo("flag --tungsten is not supported yet by ghost\n");
        assertThat(run("--check-flag", "--made-up")).isEqualTo(2);
    }
}
