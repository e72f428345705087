package dev.ghost.examples.bench;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times ghost against the server's own {@code ALTER TABLE ... ALGORITHM=COPY} on the same server in the same run, on
 * a sysbench-shaped table: idle, and under a 4-thread write load (foreground transactions per second before and
 * during the migration). Prints medians over the runs. Not a test: machines here are noisy, so read ratios.
 *
 * <p>{@code -Dbench.rows=500000 -Dbench.runs=3 -Dbench.server=embedded|system -Dbench.copyThreads=1,2}
 */
public final class MigrationBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 500_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int WRITERS = 4;
    /** The copy-thread counts to compare, e.g. {@code -Dbench.copyThreads=1,2,4}. */
    private static final List<Integer> COPY_THREADS = Arrays.stream(System.getProperty("bench.copyThreads", "1,2")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final String ALTER = "ADD COLUMN bench_note VARCHAR(32) NULL";
    private static final String UNDO = "DROP COLUMN bench_note";

    private MigrationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer server = TestServer.start(kind)) {
            print("server: %s (%s); table: %,d rows (sysbench shape); runs: %d", kind, server.version(), ROWS, RUNS);
            TestDatabase db = server.createDatabase("bench");
            createSysbenchTable(db, ROWS);
            run(server, db);
        }
        System.exit(0);
    }

    /** The figures of ghost with one number of copy threads, over the runs. */
    private static final class GhostFigures {
        final List<Double> idleSeconds = new ArrayList<>();
        final List<Double> rowsPerSecond = new ArrayList<>();
        final List<Double> idleLockMs = new ArrayList<>();
        final List<Double> loadedSeconds = new ArrayList<>();
        final List<Double> loadedLockMs = new ArrayList<>();
        final List<Double> baselineTps = new ArrayList<>();
        final List<Double> duringTps = new ArrayList<>();
        final List<Double> checksumSeconds = new ArrayList<>();
        final List<Double> copySeconds = new ArrayList<>();
    }

    private static void run(TestServer server, TestDatabase db) throws Exception {
        List<Double> nativeSeconds = new ArrayList<>();
        List<Double> nativeDuringTps = new ArrayList<>();
        Map<Integer, GhostFigures> figures = new LinkedHashMap<>();
        COPY_THREADS.forEach(threads -> figures.put(threads, new GhostFigures()));

        for (int run = 1; run <= RUNS; run++) {
            nativeSeconds.add(timeNative(db, ALTER));
            db.execute("ALTER TABLE sbtest1 " + UNDO);
            try (Load load = Load.start(db, ROWS)) {
                load.measureTps(1_000);
                long before = load.committed();
                long start = System.nanoTime();
                timeNative(db, ALTER);
                nativeDuringTps.add((load.committed() - before) / ((System.nanoTime() - start) / 1e9));
            }
            db.execute("ALTER TABLE sbtest1 " + UNDO);
            print("run %d: native %.2f s (let %.0f tps through under load)", run, nativeSeconds.get(run - 1),
                    nativeDuringTps.get(run - 1));

            for (Map.Entry<Integer, GhostFigures> entry : figures.entrySet()) {
                int threads = entry.getKey();
                GhostFigures f = entry.getValue();
                SchemaChangeResult idle = ghost(server, db, ALTER, threads);
                f.idleSeconds.add(idle.totalTime().toNanos() / 1e9);
                f.rowsPerSecond.add(idle.rowsCopied() / Math.max(1e-9, idle.copyTime().toNanos() / 1e9));
                f.idleLockMs.add(idle.cutoverLockTime().toNanos() / 1e6);
                f.checksumSeconds.add(idle.checksumTime().toNanos() / 1e9);
                f.copySeconds.add(idle.copyTime().toNanos() / 1e9);
                db.execute("ALTER TABLE sbtest1 " + UNDO);

                try (Load load = Load.start(db, ROWS)) {
                    f.baselineTps.add(load.measureTps(3_000));
                    long before = load.committed();
                    long start = System.nanoTime();
                    SchemaChangeResult loaded = ghost(server, db, ALTER, threads);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    f.duringTps.add((load.committed() - before) / seconds);
                    f.loadedSeconds.add(loaded.totalTime().toNanos() / 1e9);
                    f.loadedLockMs.add(loaded.cutoverLockTime().toNanos() / 1e6);
                }
                db.execute("ALTER TABLE sbtest1 " + UNDO);
                int last = run - 1;
                print("  ghost, %d copy thread(s): idle %.2f s (checksum %.2f s, lock %.1f ms); "
                                + "under load %.2f s (lock %.1f ms, "
                                + "%.0f tps vs %.0f before)", threads, f.idleSeconds.get(last),
                        f.checksumSeconds.get(last), f.idleLockMs.get(last), f.loadedSeconds.get(last),
                        f.loadedLockMs.get(last),
                        f.duringTps.get(last), f.baselineTps.get(last));
            }
        }
        print("");
        print("medians over %d runs (%,d rows):", RUNS, ROWS);
        print("  native ALTER ... ALGORITHM=COPY: %.2f s; %.0f tps got through it under load", median(nativeSeconds),
                median(nativeDuringTps));
        for (Map.Entry<Integer, GhostFigures> entry : figures.entrySet()) {
            GhostFigures f = entry.getValue();
            print("  ghost, %d copy thread(s), idle:  %.2f s = %.2fx native; copy %.2f s, %,.0f rows/s; checksum %.2f s "
                            + "(%.0f%% of the copy); cut-over lock %.1f ms",
                    entry.getKey(), median(f.idleSeconds), median(f.idleSeconds) / median(nativeSeconds),
                    median(f.copySeconds), median(f.rowsPerSecond), median(f.checksumSeconds),
                    100 * median(f.checksumSeconds) / median(f.copySeconds), median(f.idleLockMs));
            print("  ghost, %d copy thread(s), %d writers: %.2f s = %.2fx native; cut-over lock %.1f ms; "
                            + "foreground %.0f tps during vs %.0f before (%.0f%%)", entry.getKey(), WRITERS,
                    median(f.loadedSeconds), median(f.loadedSeconds) / median(nativeSeconds),
                    median(f.loadedLockMs), median(f.duringTps), median(f.baselineTps),
                    100 * median(f.duringTps) / median(f.baselineTps));
        }
    }

    static void createSysbenchTable(TestDatabase db, int rows) {
        db.execute("CREATE TABLE sbtest1 (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0, "
                + "c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k)) "
                + "ENGINE=InnoDB");
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        for (int from = 0; from < rows; from += 100_000) {
            db.execute("INSERT INTO sbtest1 (id, k, c, pad) SELECT n, FLOOR(RAND() * " + rows + "), "
                    + "LEFT(REPEAT(CONCAT(LPAD(n, 11, '0'), '-'), 11), 119), LEFT(REPEAT(MD5(n), 2), 59) FROM (SELECT "
                    + from + " + 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n FROM " + digits
                    + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits + " f) numbers "
                    + "WHERE n <= " + Math.min(rows, from + 100_000));
        }
    }

    private static double timeNative(TestDatabase db, String alter) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE sbtest1 " + alter + ", ALGORITHM=COPY");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static SchemaChangeResult ghost(TestServer server, TestDatabase db, String alter, int copyThreads) {
        return OnlineSchemaChange.builder()
                .connection(server.host(), server.port(), server.user(), server.password())
                .database(db.name()).table("sbtest1").alter(alter)
                .chunkSize(5000).copyThreads(copyThreads).okToDropTable(true)
                .build().run();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** sysbench-like write transactions: point update of the secondary key, insert, delete. */
    static final class Load implements AutoCloseable {
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final AtomicLong committed = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        static Load start(TestDatabase db, int rows) {
            return start(db, rows, WRITERS);
        }

        static Load start(TestDatabase db, int rows, int writers) {
            Load load = new Load();
            for (int i = 0; i < writers; i++) {
                Thread thread = new Thread(() -> load.write(db, rows), "bench-writer-" + i);
                thread.setDaemon(true);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void write(TestDatabase db, int rows) {
            try (Connection connection = db.connect();
                 PreparedStatement update = connection.prepareStatement("UPDATE sbtest1 SET k = k + 1 WHERE id = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM sbtest1 WHERE id = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, 'bench', 'bench')")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stopping.get()) {
                    int id = 1 + random.nextInt(rows);
                    try {
                        update.setInt(1, id);
                        update.executeUpdate();
                        delete.setInt(1, id);
                        delete.executeUpdate();
                        insert.setInt(1, id);
                        insert.setInt(2, random.nextInt(rows));
                        insert.executeUpdate();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        // lock waits and duplicate keys between writers: not counted as a transaction
                        errors.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        long committed() {
            return committed.get();
        }

        /** Transactions that failed (and were abandoned) so far. */
        long errors() {
            return errors.get();
        }

        double measureTps(long millis) throws InterruptedException {
            long before = committed.get();
            Thread.sleep(millis); // a measurement window, not a wait for a condition
            return (committed.get() - before) * 1000.0 / millis;
        }

        @Override
        public void close() throws InterruptedException {
            stopping.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }
}
