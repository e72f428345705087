package dev.ghost.examples.bench;

import dev.ghost.MigrationStatus;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The replay under a sysbench-shaped write load (4 writers: update, delete, insert of one id per transaction): the
 * migration's time, the foreground's transactions per second before and during it, and, sampled every second from
 * the migration's status, the replay's applied row changes per second, the copy's rows per second and the largest
 * backlog. Not a test: machines here are noisy, so read ratios within one run.
 *
 * <p>{@code -Dbench.rows=300000 -Dbench.runs=1 -Dbench.server=embedded|system -Dbench.replayThreads=1,2
 * -Dbench.dmlBatchSize=100 -Dbench.verbose=true}
 */
public final class ReplayBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 300_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 1);
    private static final List<Integer> REPLAY_THREADS = Arrays.stream(System.getProperty("bench.replayThreads", "1,2")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    /** The replay's keys per transaction and connection; the builder's default unless given. */
    private static final Integer DML_BATCH_SIZE = Integer.getInteger("bench.dmlBatchSize");
    private static final String ALTER = "ADD COLUMN bench_note VARCHAR(32) NULL";
    private static final String UNDO = "DROP COLUMN bench_note";

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer server = TestServer.start(kind)) {
            MigrationBenchmark.print("server: %s (%s); table: %,d rows (sysbench shape); runs: %d", kind,
                    server.version(), ROWS, RUNS);
            TestDatabase db = server.createDatabase("bench");
            MigrationBenchmark.createSysbenchTable(db, ROWS);
            for (int run = 1; run <= RUNS; run++) {
                for (int threads : REPLAY_THREADS) {
                    measure(server, db, threads);
                    db.execute("ALTER TABLE sbtest1 " + UNDO);
                }
            }
        }
        System.exit(0);
    }

    private static void measure(TestServer server, TestDatabase db, int replayThreads) throws Exception {
        try (MigrationBenchmark.Load load = MigrationBenchmark.Load.start(db, ROWS)) {
            double before = load.measureTps(3_000);
            long committed = load.committed();
            long start = System.nanoTime();
            OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder()
                    .connection(server.host(), server.port(), server.user(), server.password())
                    .database(db.name()).table("sbtest1").alter(ALTER)
                    .chunkSize(5000).replayThreads(replayThreads).okToDropTable(true);
            if (DML_BATCH_SIZE != null) {
                builder.dmlBatchSize(DML_BATCH_SIZE);
            }
            RunningMigration migration = builder.build().start();
            long maxBacklog = 0;
            List<Double> applyRates = new ArrayList<>();
            List<Double> copyRates = new ArrayList<>();
            MigrationStatus last = migration.status();
            while (!last.state().isTerminal()) {
                Thread.sleep(1_000); // a sampling interval, not a wait for a condition
                MigrationStatus status = migration.status();
                maxBacklog = Math.max(maxBacklog, status.backlog());
                // Rates from the counters' growth over the second, not the status's own rates: comparable with
                // versions before them.
                applyRates.add((double) (status.eventsApplied() - last.eventsApplied()));
                if (status.state() == dev.ghost.MigrationState.COPYING) {
                    copyRates.add((double) (status.rowsCopied() - last.rowsCopied()));
                }
                last = status;
                if (Boolean.getBoolean("bench.verbose")) {
                    MigrationBenchmark.print("    %s", status.statusLine());
                }
            }
            SchemaChangeResult result = migration.await(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            double during = (load.committed() - committed) / seconds;
            MigrationBenchmark.print("replay threads %d: %.2f s (copy %.2f s), foreground %.0f tps during vs %.0f "
                            + "before (%.0f%%); applied %,d row changes, %.0f/s at most (median %.0f/s); copy "
                            + "%.0f rows/s (median); largest backlog %,d keys; lock %.1f ms", replayThreads, seconds,
                    result.copyTime().toNanos() / 1e9, during, before, 100 * during / before,
                    result.eventsApplied(), applyRates.stream().mapToDouble(d -> d).max().orElse(0),
                    MigrationBenchmark.median(applyRates.isEmpty() ? List.of(0.0) : applyRates),
                    MigrationBenchmark.median(copyRates.isEmpty() ? List.of(0.0) : copyRates), maxBacklog,
                    result.cutoverLockTime().toNanos() / 1e6);
        }
    }
}
