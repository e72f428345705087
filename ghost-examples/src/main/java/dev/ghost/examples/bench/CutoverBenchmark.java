package dev.ghost.examples.bench;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cut-over's lock time (LOCK to UNLOCK, as reported in the result) at p50 and p99 over many cut-overs, for each
 * strategy that runs on the server, on an idle table and under 4 writers. Each run migrates a small table back and
 * forth, so almost all of the time is the cut-over's.
 *
 * <p>{@code -Dbench.runs=20 -Dbench.rows=10000 -Dbench.server=embedded|system}
 */
public final class CutoverBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 20);
    private static final int ROWS = Integer.getInteger("bench.rows", 10_000);
    private static final int WRITERS = 4;

    private CutoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer server = TestServer.start(kind)) {
            print("server: %s (%s); table: %,d rows; %d cut-overs per strategy and load", kind, server.version(),
                    ROWS, RUNS);
            TestDatabase db = server.createDatabase("cutover_bench");
            db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(64))",
                    "INSERT INTO t SELECT seq, 0, REPEAT('x', 40) FROM seq_1_to_" + ROWS);
            List<CutoverStrategy> strategies = new ArrayList<>(List.of(CutoverStrategy.atomic(),
                    CutoverStrategy.twoStep()));
            if (!server.version().toLowerCase(Locale.ROOT).contains("mariadb")) {
                strategies.add(CutoverStrategy.renameUnderLock());
            }
            for (CutoverStrategy strategy : strategies) {
                for (boolean loaded : new boolean[] {false, true}) {
                    measure(server, db, strategy, loaded);
                }
            }
        }
        System.exit(0);
    }

    private static void measure(TestServer server, TestDatabase db, CutoverStrategy strategy, boolean loaded)
            throws Exception {
        List<Double> millis = new ArrayList<>();
        int attempts = 0;
        Load load = loaded ? Load.start(db, strategy.name().equals("two-step")) : null;
        try {
            for (int run = 0; run < RUNS; run++) {
                String alter = run % 2 == 0 ? "ADD COLUMN extra INT" : "DROP COLUMN extra";
                SchemaChangeResult result = OnlineSchemaChange.builder()
                        .connection(server.host(), server.port(), server.user(), server.password())
                        .database(db.name()).table("t").alter(alter).okToDropTable(true)
                        .cutoverStrategy(strategy).build().run();
                millis.add(result.cutoverLockTime().toNanos() / 1e6);
                attempts += result.cutoverAttempts();
            }
        } finally {
            if (load != null) {
                load.close();
            }
        }
        Collections.sort(millis);
        print("%-18s %-6s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (%d cut-overs, %d attempts)", strategy.name(),
                loaded ? "loaded" : "idle", percentile(millis, 50), percentile(millis, 99),
                millis.get(millis.size() - 1), millis.size(), attempts);
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** Four writers doing point updates and inserts; errors (lock waits, the two-step's missing table) are skipped. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        static Load start(TestDatabase db, boolean ignored) {
            Load load = new Load();
            for (int i = 0; i < WRITERS; i++) {
                long base = 10_000_000L * (i + 1);
                Thread thread = new Thread(() -> load.write(db, base), "cutover-bench-writer-" + i);
                thread.setDaemon(true);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void write(TestDatabase db, long base) {
            long next = base;
            try (Connection connection = db.connect();
                 PreparedStatement update = connection.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO t (id, v) VALUES (?, 1)")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stopping.get()) {
                    try {
                        if (random.nextBoolean()) {
                            update.setLong(1, 1 + random.nextInt(ROWS));
                            update.executeUpdate();
                        } else {
                            insert.setLong(1, next++);
                            insert.executeUpdate();
                        }
                    } catch (SQLException e) {
                        // a lock wait or the two-step's moment without a table: the next write goes on
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
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
