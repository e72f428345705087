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
 * <p>{@code -Dbench.rows=500000 -Dbench.runs=3 -Dbench.server=embedded|system -Dbench.copyThreads=1,2
 * -Dbench.chunkTime=100,500 -Dbench.chunkSize=5000 -Dbench.key=composite -Dbench.loaded=false}: ghost runs once per
 * copy-thread count and chunk time (milliseconds; empty: ghost's default), with a fixed chunk size only when given;
 * {@code bench.key=composite} keys the table by {@code (tenant VARCHAR(32), id)} instead of {@code id}, so that the
 * copy walks a composite key; {@code bench.loaded=false} skips the runs under load.
 */
public final class MigrationBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 500_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int WRITERS = 4;
    /** The copy-thread counts to compare, e.g. {@code -Dbench.copyThreads=1,2,4}. */
    private static final List<Integer> COPY_THREADS = Arrays.stream(System.getProperty("bench.copyThreads", "1,2")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    /** Chunk times to compare in milliseconds; empty for ghost's default. */
    private static final List<String> CHUNK_TIMES = Arrays.stream(System.getProperty("bench.chunkTime", "")
            .split(",", -1)).map(String::trim).toList();
    /** A fixed chunk size, or 0 for ghost's default (adaptive). */
    private static final int CHUNK_SIZE = Integer.getInteger("bench.chunkSize", 0);
    private static final boolean COMPOSITE = "composite".equals(System.getProperty("bench.key", "id"));
    private static final boolean LOADED = Boolean.parseBoolean(System.getProperty("bench.loaded", "true"));
    private static final String ALTER = "ADD COLUMN bench_note VARCHAR(32) NULL";
    private static final String UNDO = "DROP COLUMN bench_note";

    private MigrationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer server = TestServer.start(kind)) {
            print("server: %s (%s); table: %,d rows (sysbench shape, key %s); runs: %d; chunk size %s", kind,
                    server.version(), ROWS, COMPOSITE ? "(tenant, id)" : "id", RUNS,
                    CHUNK_SIZE > 0 ? Integer.toString(CHUNK_SIZE) : "adaptive");
            TestDatabase db = server.createDatabase("bench");
            createSysbenchTable(db, ROWS);
            run(server, db);
        }
        System.exit(0);
    }

    /** One way to run ghost: copy threads and chunk time (empty: ghost's default). */
    private record Variant(int threads, String chunkTime) {
        @Override
        public String toString() {
            return threads + " copy thread(s)" + (chunkTime.isEmpty() ? "" : ", chunk time " + chunkTime + " ms");
        }
    }

    /** The figures of ghost in one variant, over the runs. */
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
        Map<Variant, GhostFigures> figures = new LinkedHashMap<>();
        COPY_THREADS.forEach(threads -> CHUNK_TIMES.forEach(time -> figures.put(new Variant(threads, time),
                new GhostFigures())));

        for (int run = 1; run <= RUNS; run++) {
            nativeSeconds.add(timeNative(db, ALTER));
            db.execute("ALTER TABLE sbtest1 " + UNDO);
            if (LOADED) {
                try (Load load = Load.start(db, ROWS)) {
                    load.measureTps(1_000);
                    long before = load.committed();
                    long start = System.nanoTime();
                    timeNative(db, ALTER);
                    nativeDuringTps.add((load.committed() - before) / ((System.nanoTime() - start) / 1e9));
                }
                db.execute("ALTER TABLE sbtest1 " + UNDO);
            } else {
                nativeDuringTps.add(0.0);
            }
            print("run %d: native %.2f s (let %.0f tps through under load)", run, nativeSeconds.get(run - 1),
                    nativeDuringTps.get(run - 1));

            for (Map.Entry<Variant, GhostFigures> entry : figures.entrySet()) {
                Variant variant = entry.getKey();
                GhostFigures f = entry.getValue();
                SchemaChangeResult idle = ghost(server, db, ALTER, variant);
                f.idleSeconds.add(idle.totalTime().toNanos() / 1e9);
                f.rowsPerSecond.add(idle.rowsCopied() / Math.max(1e-9, idle.copyTime().toNanos() / 1e9));
                f.idleLockMs.add(idle.cutoverLockTime().toNanos() / 1e6);
                f.checksumSeconds.add(idle.checksumTime().toNanos() / 1e9);
                f.copySeconds.add(idle.copyTime().toNanos() / 1e9);
                db.execute("ALTER TABLE sbtest1 " + UNDO);

                if (LOADED) {
                    try (Load load = Load.start(db, ROWS)) {
                        f.baselineTps.add(load.measureTps(3_000));
                        long before = load.committed();
                        long start = System.nanoTime();
                        SchemaChangeResult loaded = ghost(server, db, ALTER, variant);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        f.duringTps.add((load.committed() - before) / seconds);
                        f.loadedSeconds.add(loaded.totalTime().toNanos() / 1e9);
                        f.loadedLockMs.add(loaded.cutoverLockTime().toNanos() / 1e6);
                    }
                    db.execute("ALTER TABLE sbtest1 " + UNDO);
                } else {
                    List.of(f.baselineTps, f.duringTps, f.loadedSeconds, f.loadedLockMs).forEach(l -> l.add(0.0));
                }
                int last = run - 1;
                print("  ghost, %s: idle %.2f s (copy %.2f s, checksum %.2f s, lock %.1f ms); "
                                + "under load %.2f s (lock %.1f ms, "
                                + "%.0f tps vs %.0f before)", variant, f.idleSeconds.get(last), f.copySeconds.get(last),
                        f.checksumSeconds.get(last), f.idleLockMs.get(last), f.loadedSeconds.get(last),
                        f.loadedLockMs.get(last),
                        f.duringTps.get(last), f.baselineTps.get(last));
            }
        }
        print("");
        print("medians over %d runs (%,d rows):", RUNS, ROWS);
        print("  native ALTER ... ALGORITHM=COPY: %.2f s; %.0f tps got through it under load", median(nativeSeconds),
                median(nativeDuringTps));
        for (Map.Entry<Variant, GhostFigures> entry : figures.entrySet()) {
            GhostFigures f = entry.getValue();
            print("  ghost, %s, idle:  %.2f s = %.2fx native; copy %.2f s, %,.0f rows/s; checksum %.2f s "
                            + "(%.0f%% of the copy); cut-over lock %.1f ms",
                    entry.getKey(), median(f.idleSeconds), median(f.idleSeconds) / median(nativeSeconds),
                    median(f.copySeconds), median(f.rowsPerSecond), median(f.checksumSeconds),
                    100 * median(f.checksumSeconds) / median(f.copySeconds), median(f.idleLockMs));
            if (!LOADED) {
                continue;
            }
            print("  ghost, %s, %d writers: %.2f s = %.2fx native; cut-over lock %.1f ms; "
                            + "foreground %.0f tps during vs %.0f before (%.0f%%)", entry.getKey(), WRITERS,
                    median(f.loadedSeconds), median(f.loadedSeconds) / median(nativeSeconds),
                    median(f.loadedLockMs), median(f.duringTps), median(f.baselineTps),
                    100 * median(f.duringTps) / median(f.baselineTps));
        }
    }

    /** The tenant of a row in the composite-key variant: 16 tenants, rows spread over them. */
    static String tenant(long id) {
        return String.format(Locale.ROOT, "tenant-%02d", id % 16);
    }

    static void createSysbenchTable(TestDatabase db, int rows) {
        if (COMPOSITE) {
            db.execute("CREATE TABLE sbtest1 (tenant VARCHAR(32) NOT NULL, id INT NOT NULL, k INT NOT NULL DEFAULT 0, "
                    + "c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (tenant, id), "
                    + "KEY k_1 (k)) ENGINE=InnoDB");
        } else {
            db.execute("CREATE TABLE sbtest1 (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0, "
                    + "c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), "
                    + "KEY k_1 (k)) ENGINE=InnoDB");
        }
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        for (int from = 0; from < rows; from += 100_000) {
            db.execute("INSERT INTO sbtest1 (" + (COMPOSITE ? "tenant, " : "") + "id, k, c, pad) SELECT "
                    + (COMPOSITE ? "CONCAT('tenant-', LPAD(n % 16, 2, '0')), " : "") + "n, FLOOR(RAND() * " + rows + "), "
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

    private static SchemaChangeResult ghost(TestServer server, TestDatabase db, String alter, Variant variant) {
        OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder()
                .connection(server.host(), server.port(), server.user(), server.password())
                .database(db.name()).table("sbtest1").alter(alter)
                .copyThreads(variant.threads()).okToDropTable(true);
        if (CHUNK_SIZE > 0) {
            builder.chunkSize(CHUNK_SIZE);
        }
        if (!variant.chunkTime().isEmpty()) {
            builder.chunkTime(java.time.Duration.ofMillis(Long.parseLong(variant.chunkTime())));
        }
        return builder.build().run();
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
                 PreparedStatement update = connection.prepareStatement("UPDATE sbtest1 SET k = k + 1 WHERE "
                         + (COMPOSITE ? "tenant = ? AND " : "") + "id = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM sbtest1 WHERE "
                         + (COMPOSITE ? "tenant = ? AND " : "") + "id = ?");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO sbtest1 ("
                         + (COMPOSITE ? "tenant, " : "") + "id, k, c, pad) VALUES (" + (COMPOSITE ? "?, " : "")
                         + "?, ?, 'bench', 'bench')")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stopping.get()) {
                    int id = 1 + random.nextInt(rows);
                    try {
                        int at = 1;
                        if (COMPOSITE) {
                            update.setString(at, tenant(id));
                            delete.setString(at, tenant(id));
                            insert.setString(at, tenant(id));
                            at++;
                        }
                        update.setInt(at, id);
                        update.executeUpdate();
                        delete.setInt(at, id);
                        delete.executeUpdate();
                        insert.setInt(at, id);
                        insert.setInt(at + 1, random.nextInt(rows));
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
