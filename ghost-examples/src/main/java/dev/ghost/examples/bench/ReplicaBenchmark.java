package dev.ghost.examples.bench;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.ReplicaServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ghost.examples.bench.MigrationBenchmark.median;
import static dev.ghost.examples.bench.MigrationBenchmark.print;

/**
 * The same migration under a 4-thread write load on the master, run on the master ({@code --allow-on-master}) and
 * through a replica (gh-ost's default: binlog and inspection on the replica, writes on the master): total time, the
 * lag ghost measured (heartbeat written on the master, read back from the binlog it streams: through a replica, the
 * replica's lag), max and median, and the master's foreground tps before and during. Medians over the runs.
 *
 * <p>{@code -Dbench.rows=200000 -Dbench.runs=3 -Dbench.server=embedded|system}
 */
public final class ReplicaBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final String ALTER = "ADD COLUMN bench_note VARCHAR(32) NULL";

    private ReplicaBenchmark() {
    }

    /** One topology's figures over the runs. */
    private static final class Figures {
        final List<Double> seconds = new ArrayList<>();
        final List<Double> maxLagMs = new ArrayList<>();
        final List<Double> medianLagMs = new ArrayList<>();
        final List<Double> tpsBefore = new ArrayList<>();
        final List<Double> tpsDuring = new ArrayList<>();
        final List<Double> lockMs = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer master = TestServer.start(kind); ReplicaServer replication = ReplicaServer.start(master)) {
            print("server: %s (%s) and a replica; table: %,d rows (sysbench shape); 4 writers on the master; runs: %d",
                    kind, master.version(), ROWS, RUNS);
            TestDatabase db = master.createDatabase("bench");
            MigrationBenchmark.createSysbenchTable(db, ROWS);
            replication.awaitCaughtUp();
            Map<String, Figures> figures = new LinkedHashMap<>();
            figures.put("on the master", new Figures());
            figures.put("through a replica", new Figures());
            for (int run = 1; run <= RUNS; run++) {
                for (Map.Entry<String, Figures> entry : figures.entrySet()) {
                    boolean viaReplica = entry.getKey().startsWith("through");
                    measure(db, replication, viaReplica, entry.getValue());
                    Figures f = entry.getValue();
                    int last = f.seconds.size() - 1;
                    print("run %d, %s: %.2f s; lag max %.0f ms, median %.0f ms; lock %.1f ms; %.0f tps during vs %.0f "
                                    + "before", run, entry.getKey(), f.seconds.get(last), f.maxLagMs.get(last),
                            f.medianLagMs.get(last), f.lockMs.get(last), f.tpsDuring.get(last), f.tpsBefore.get(last));
                }
            }
            print("");
            print("medians over %d runs (%,d rows, 4 writers on the master):", RUNS, ROWS);
            figures.forEach((name, f) -> print("  %-18s %.2f s; lag max %.0f ms, median %.0f ms; cut-over lock %.1f ms; "
                            + "master tps %.0f during vs %.0f before (%.0f%%)", name + ":", median(f.seconds),
                    median(f.maxLagMs), median(f.medianLagMs), median(f.lockMs), median(f.tpsDuring),
                    median(f.tpsBefore), 100 * median(f.tpsDuring) / median(f.tpsBefore)));
        }
        System.exit(0);
    }

    private static void measure(TestDatabase db, ReplicaServer replication, boolean viaReplica, Figures figures)
            throws Exception {
        TestServer target = viaReplica ? replication.replica() : db.server();
        List<Double> lags = new ArrayList<>();
        SchemaChangeResult result;
        try (MigrationBenchmark.Load load = MigrationBenchmark.Load.start(db, ROWS)) {
            figures.tpsBefore.add(load.measureTps(2_000));
            long before = load.committed();
            long start = System.nanoTime();
            RunningMigration migration = OnlineSchemaChange.builder()
                    .connection(target.host(), target.port(), target.user(), target.password())
                    .database(db.name()).table("sbtest1").alter(ALTER).chunkSize(2_000).okToDropTable(true)
                    .viaReplica(viaReplica).build().start();
            while (!migration.status().state().isTerminal()) {
                Duration lag = migration.status().lag();
                if (migration.status().state().ordinal() >= dev.ghost.MigrationState.COPYING.ordinal()) {
                    lags.add(lag.toNanos() / 1e6);
                }
                Thread.sleep(100); // a sampling period
            }
            result = migration.await();
            figures.tpsDuring.add((load.committed() - before) / ((System.nanoTime() - start) / 1e9));
        }
        figures.seconds.add(result.totalTime().toNanos() / 1e9);
        figures.lockMs.add(result.cutoverLockTime().toNanos() / 1e6);
        figures.maxLagMs.add(lags.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        figures.medianLagMs.add(lags.isEmpty() ? 0 : median(lags));
        db.execute("ALTER TABLE sbtest1 DROP COLUMN bench_note");
        replication.awaitCaughtUp();
    }
}
