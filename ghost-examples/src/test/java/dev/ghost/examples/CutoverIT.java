package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.MigrationListener;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The cut-over end to end: under write load, blocked, killed, postponed, vetoed. */
@Tag("slow")
@ExtendWith(RealServer.class)
class CutoverIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT")
                .cutoverLockTimeout(Duration.ofSeconds(1));
    }

    private static void table(TestDatabase db, int rows) {
        db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(64))",
                "INSERT INTO t (id, v, pad) SELECT seq, 0, REPEAT('x', 40) FROM seq_1_to_" + rows);
    }

    private static CutoverStrategy strategy(String name) {
        return "two-step".equals(name) ? CutoverStrategy.twoStep() : CutoverStrategy.atomic();
    }

    /**
     * Writers that record every write that committed: inserts of unique ids, and updates that set a value. A write
     * that fails on a lock-wait timeout (or, with two-step, on the missing table) is retried.
     */
    private static final class RecordingWriters implements AutoCloseable {
        final Map<Long, Long> committed = new ConcurrentHashMap<>();
        final AtomicLong retries = new AtomicLong();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        RecordingWriters(TestDatabase db, int writers, boolean tolerateMissingTable) {
            for (int w = 0; w < writers; w++) {
                long base = 1_000_000L * (w + 1);
                Thread thread = new Thread(() -> write(db, base, tolerateMissingTable), "recording-writer-" + w);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void write(TestDatabase db, long base, boolean tolerateMissingTable) {
            List<Long> mine = new ArrayList<>();
            long next = base;
            long value = 0;
            try (Connection c = db.connect()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET SESSION innodb_lock_wait_timeout = 2, SESSION lock_wait_timeout = 2");
                }
                while (!stopping) {
                    boolean insert = mine.isEmpty() || ThreadLocalRandom.current().nextBoolean();
                    long id = insert ? next : mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
                    long v = ++value;
                    while (true) {
                        try (PreparedStatement p = c.prepareStatement(insert
                                ? "INSERT INTO t (id, v) VALUES (?, ?)" : "UPDATE t SET v = ? WHERE id = ?")) {
                            p.setLong(insert ? 1 : 2, id);
                            p.setLong(insert ? 2 : 1, v);
                            p.executeUpdate();
                            break;
                        } catch (SQLException e) {
                            boolean timeout = e.getErrorCode() == 1205 || e.getErrorCode() == 1213;
                            boolean missing = tolerateMissingTable && e.getErrorCode() == 1146;
                            if (!timeout && !missing) {
                                throw e;
                            }
                            retries.incrementAndGet();
                        }
                    }
                    committed.put(id, v);
                    if (insert) {
                        mine.add(id);
                        next++;
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomic", "two-step"})
    void everyCommittedWriteIsInTheNewTable(String name, TestDatabase db) throws Exception {
        table(db, 20_000);
        SchemaChangeResult result;
        RecordingWriters writers = new RecordingWriters(db, 4, "two-step".equals(name));
        try {
            result = migrate(db).cutoverStrategy(strategy(name)).chunkSize(500).build().run();
            Thread.sleep(200); // writes after the cut-over land in the new table too
        } finally {
            writers.close();
        }
        assertThat(writers.failures).isEmpty();
        assertThat(writers.committed).hasSizeGreaterThan(100);
        Map<Long, Long> inNewTable = new ConcurrentHashMap<>();
        for (List<String> row : db.query("SELECT id, v FROM t WHERE id >= 1000000")) {
            inNewTable.put(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)));
        }
        assertThat(inNewTable).isEqualTo(writers.committed);
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE id < 1000000")).isEqualTo(20_000);
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db.name()
                + "' AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'")).containsExactly(List.of("1"));
        assertThat(result.cutoverLockTime()).isPositive();
    }

    @Test
    void aBlockingTransactionMakesTheCutoverRetryWhileTheTableStaysUsable(TestDatabase db) throws Exception {
        table(db, 2_000);
        AtomicInteger asked = new AtomicInteger();
        AtomicLong writesWhileBlocked = new AtomicLong();
        Thread[] blocker = new Thread[1];
        SchemaChangeResult result = migrate(db).listener(new MigrationListener() {
            @Override
            public boolean approveCutover(String table, int attempt) {
                if (asked.getAndIncrement() == 0) {
                    blocker[0] = new Thread(() -> holdAndWrite(db, writesWhileBlocked));
                    blocker[0].start();
                    sleep(300);
                }
                return true;
            }
        }).build().run();
        blocker[0].join();
        assertThat(result.cutoverAttempts()).isGreaterThan(1);
        assertThat(writesWhileBlocked.get()).isPositive();
        assertThat(db.queryLong("SELECT COUNT(*) FROM t")).isEqualTo(2_000 + writesWhileBlocked.get());
    }

    /** Holds a metadata lock on t for 4 s; meanwhile other sessions keep writing to t. */
    private static void holdAndWrite(TestDatabase db, AtomicLong writes) {
        try (Connection holder = db.connect(); Statement s = holder.createStatement();
             Connection writer = db.connect(); Statement w = writer.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("SELECT COUNT(*) FROM t").close();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            long id = 500_000;
            while (System.nanoTime() < until) {
                try {
                    w.execute("INSERT INTO t (id, v) VALUES (" + id + ", 1)");
                    id++;
                    writes.incrementAndGet();
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1205) {
                        throw e;
                    }
                }
                sleep(20);
            }
            holder.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKilledLockerLeavesTheOriginalIntactAndTheRetrySucceeds(TestDatabase db) {
        table(db, 2_000);
        List<List<String>> before = db.contentOf("t", "id");
        CutoverStrategy atomic = CutoverStrategy.atomic();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger intactAfterKill = new AtomicInteger();
        CutoverStrategy killingOnce = new CutoverStrategy() {
            @Override
            public String name() {
                return "atomic, locker killed once";
            }

            @Override
            public CutoverOutcome cutOver(CutoverContext context) throws Exception {
                if (attempts.incrementAndGet() > 1) {
                    if (db.tables().containsAll(List.of("t", "_t_gho")) && !db.tables().contains("_t_del")) {
                        intactAfterKill.incrementAndGet();
                    }
                    return atomic.cutOver(context);
                }
                List<Long> opened = new ArrayList<>();
                return atomic.cutOver(new CutoverContext() {
                    public TableName original() {
                        return context.original();
                    }

                    public TableName ghost() {
                        return context.ghost();
                    }

                    public TableName old() {
                        return context.old();
                    }

                    public Connection openConnection() throws SQLException {
                        Connection c = context.openConnection();
                        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
                            r.next();
                            opened.add(r.getLong(1));
                        }
                        return c;
                    }

                    public Duration lockTimeout() {
                        return context.lockTimeout();
                    }

                    public void awaitReplayCaughtUp(Duration timeout) throws Exception {
                        context.awaitReplayCaughtUp(timeout);
                        db.execute("KILL " + opened.get(0)); // the locker, holding LOCK TABLES
                    }
                });
            }
        };
        SchemaChangeResult result = migrate(db).cutoverStrategy(killingOnce).build().run();
        assertThat(result.cutoverAttempts()).isEqualTo(2);
        assertThat(intactAfterKill.get()).isEqualTo(1);
        assertThat(db.contentOf("_t_del", "id")).isEqualTo(before);
        assertThat(db.queryLong("SELECT COUNT(*) FROM t")).isEqualTo(2_000);
    }

    @Test
    void aFlagFileHoldsTheCutoverAndTheApiReleasesIt(TestDatabase db, @TempDir Path dir) throws Exception {
        table(db, 1_000);
        Path flag = Files.createFile(dir.resolve("postpone"));
        RunningMigration migration = migrate(db).postponeCutoverFlagFile(flag).build().start();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofSeconds(60));
        Thread.sleep(500);
        assertThat(migration.status().state()).isEqualTo(MigrationState.POSTPONED);
        assertThat(db.tables()).doesNotContain("_t_del");
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofSeconds(60));
        assertThat(result.oldTable()).contains(db.name() + "._t_del");
        assertThat(Files.exists(flag)).isTrue();
    }

    @Test
    void aListenerVetoIsAFailedAttemptAndATimestampedOldTable(TestDatabase db) {
        table(db, 500);
        AtomicInteger asked = new AtomicInteger();
        SchemaChangeResult result = migrate(db).timestampOldTable(true).cutoverExponentialBackoff(true)
                .exponentialBackoffMaxInterval(Duration.ofSeconds(1))
                .listener(new MigrationListener() {
                    @Override
                    public boolean approveCutover(String table, int attempt) {
                        return asked.incrementAndGet() > 2;
                    }
                }).build().run();
        assertThat(result.cutoverAttempts()).isEqualTo(3);
        assertThat(result.oldTable()).hasValueSatisfying(old ->
                assertThat(old).matches(db.name().replace("$", "\\$") + "\\._t_\\d{14}_del"));
        assertThat(db.tables()).contains(result.oldTable().get().substring(db.name().length() + 1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
