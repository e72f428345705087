package dev.ghost.examples.cli;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationMonitorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CliOutput output = new CliOutput(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    private final FakeMigration migration = new FakeMigration();

    @TempDir
    Path dir;

    private MigrationMonitor monitor(String... extraFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--user=u", "--database=test", "--table=t", "--alter=x",
                "--serve-socket-file=/tmp/t.sock", "--throttle-additional-flag-file="));
        args.addAll(List.of(extraFlags));
        CliOptions options = CliOptions.from(FlagTable.parser().parse(args), name -> null);
        return new MigrationMonitor(migration, options, output, CLOCK);
    }

    /** Ticks once a second from {@code from} to {@code to} (inclusive) and returns the status lines printed. */
    private List<String> tickThrough(MigrationMonitor monitor, MigrationState state, long from, long to,
                                     long etaSeconds) {
        for (long second = from; second <= to; second++) {
            migration.status = status(state, second, etaSeconds);
            monitor.tick();
        }
        return statusLines();
    }

    private List<String> statusLines() {
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("Copy: ")).toList();
    }

    private static MigrationStatus status(MigrationState state, long elapsedSeconds, long etaSeconds) {
        return new MigrationStatus("test.t", state, elapsedSeconds * 10, 100_000, 0, 0, Duration.ZERO,
                Duration.ofSeconds(elapsedSeconds), Duration.ofSeconds(elapsedSeconds),
                Optional.of(Duration.ofSeconds(etaSeconds)), Optional.empty(), 1000, "binlog.000001:4", 0, 0);
    }

    @Test
    void printsEverySecondInTheFirstMinuteWithTheHintFirst() throws Exception {
        MigrationMonitor monitor = monitor("--execute");

        tickThrough(monitor, MigrationState.PREPARING, 0, 2, 10_000);
        List<String> lines = tickThrough(monitor, MigrationState.COPYING, 3, 60, 10_000);

        assertThat(lines).hasSize(58);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("# Migrating `test`.`t`; Ghost table is `test`.`_t_gho`\n");
        assertThat(printed).contains("# Migration started at Wed May 01 11:59:57 +0000 2024\n");
        assertThat(printed).contains("# Serving on unix socket: /tmp/t.sock\n");
        assertThat(lines.get(0)).startsWith("Copy: 30/100000 0.0%;").contains("State: migrating");
    }

    @Test
    void slowsDownToEveryFiveSecondsThenEveryThirty() throws Exception {
        MigrationMonitor monitor = monitor("--execute");
        tickThrough(monitor, MigrationState.COPYING, 1, 60, 10_000);

        assertThat(tickThrough(monitor, MigrationState.COPYING, 61, 180, 10_000)).hasSize(60 + 24);
        assertThat(tickThrough(monitor, MigrationState.COPYING, 181, 300, 10_000)).hasSize(60 + 24 + 4);
    }

    @Test
    void printsAtEveryStateChangeAndEverySecondOnceTheCopyIsDone() throws Exception {
        MigrationMonitor monitor = monitor("--execute");
        tickThrough(monitor, MigrationState.COPYING, 1, 400, 10_000);
        int before = statusLines().size();

        tickThrough(monitor, MigrationState.POSTPONED, 401, 410, 0);

        List<String> lines = statusLines();
        assertThat(lines).hasSize(before + 10);
        assertThat(lines.get(lines.size() - 1)).contains("State: postponing cut-over; ETA: due");
    }

    @Test
    void printsNothingForADryRunOrAfterTheEnd() throws Exception {
        MigrationMonitor dryRun = monitor();
        tickThrough(dryRun, MigrationState.INSPECTING, 0, 5, 0);

        MigrationMonitor finished = monitor("--execute");
        tickThrough(finished, MigrationState.COMPLETED, 0, 5, 0);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void panicsOnceWhenThePanicFileAppears() throws Exception {
        Path panic = dir.resolve("panic");
        MigrationMonitor monitor = monitor("--execute", "--panic-flag-file=" + panic);
        tickThrough(monitor, MigrationState.COPYING, 1, 3, 100);
        assertThat(migration.panics).isZero();

        Files.createFile(panic);
        tickThrough(monitor, MigrationState.COPYING, 4, 6, 100);

        assertThat(migration.panics).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("2024-05-01 12:00:00 WARN found panic-flag-file "
                + panic + "; stopping the migration, leaving its tables\n");
    }

    private static final class FakeMigration implements RunningMigration {
        MigrationStatus status;
        int cancels;
        int panics;

        @Override
        public MigrationStatus status() {
            return status;
        }

        @Override
        public SchemaChangeResult await() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SchemaChangeResult await(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel() {
            cancels++;
        }

        @Override
        public void panic() {
            panics++;
        }

        @Override
        public void throttle() {
        }

        @Override
        public void unthrottle() {
        }

        @Override
        public void chunkSize(int rows) {
        }

        @Override
        public void postponeCutover() {
        }

        @Override
        public void unpostponeCutover() {
        }

        @Override
        public void dmlBatchSize(int rows) {
        }

        @Override
        public void maxLoad(String thresholds) {
        }

        @Override
        public void criticalLoad(String thresholds) {
        }

        @Override
        public void maxLag(Duration limit) {
        }

        @Override
        public void niceRatio(double ratio) {
        }

        @Override
        public void throttleQuery(String query) {
        }

        @Override
        public void throttleHttp(java.net.URI url) {
        }

    }
}
