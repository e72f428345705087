package dev.ghost.examples;

import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gh-ost's --include-triggers: the original's triggers are created on the new table at the cut-over, under suffixed
 * names, and no change fires a trigger twice: not the copy, not the replay, not a failed cut-over attempt.
 */
@ExtendWith(RealServer.class)
class TriggersIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT").chunkSize(100)
                .cutoverLockTimeout(Duration.ofSeconds(2))
                .includeTriggers(true).triggerSuffix("_v2");
    }

    /** A table with 3000 rows, then an audit trigger for each kind of change and a BEFORE trigger that sets a value. */
    private static void auditedTable(TestDatabase db) {
        db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(64))",
                "INSERT INTO t (id, v, pad) SELECT seq, 0, 'seed' FROM seq_1_to_3000",
                "CREATE TABLE audit (seq BIGINT AUTO_INCREMENT PRIMARY KEY, op CHAR(1) NOT NULL, id BIGINT NOT NULL, "
                        + "v BIGINT NULL)",
                "CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO audit (op, id, v) "
                        + "VALUES ('I', NEW.id, NEW.v)",
                "CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW INSERT INTO audit (op, id, v) "
                        + "VALUES ('U', NEW.id, NEW.v)",
                "CREATE TRIGGER t_ad AFTER DELETE ON t FOR EACH ROW INSERT INTO audit (op, id, v) "
                        + "VALUES ('D', OLD.id, NULL)",
                "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.pad = CONCAT('trg-', NEW.id)");
    }

    /** Writers that record each change that committed, as the audit trigger writes it: "I:id:v", "U:id:v", "D:id". */
    private static final class RecordingWriters implements AutoCloseable {
        final List<String> committed = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        RecordingWriters(TestDatabase db, int writers) {
            for (int w = 0; w < writers; w++) {
                long base = 1_000_000L * (w + 1);
                Thread thread = new Thread(() -> write(db, base), "audited-writer-" + w);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void write(TestDatabase db, long base) {
            List<Long> mine = new ArrayList<>();
            long next = base;
            long value = 0;
            try (Connection c = db.connect()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET SESSION innodb_lock_wait_timeout = 2, SESSION lock_wait_timeout = 2");
                }
                while (!stopping) {
                    int dice = ThreadLocalRandom.current().nextInt(10);
                    char op = mine.isEmpty() || dice < 5 ? 'I' : dice < 9 ? 'U' : 'D';
                    long id = op == 'I' ? next : mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
                    long v = ++value;
                    String sql = switch (op) {
                        case 'I' -> "INSERT INTO t (id, v) VALUES (" + id + ", " + v + ")";
                        case 'U' -> "UPDATE t SET v = " + v + " WHERE id = " + id;
                        default -> "DELETE FROM t WHERE id = " + id;
                    };
                    while (true) {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate(sql);
                            break;
                        } catch (SQLException e) {
                            if (e.getErrorCode() != 1205 && e.getErrorCode() != 1213) { // lock waits: not committed
                                throw e;
                            }
                        }
                    }
                    committed.add(op == 'D' ? "D:" + id : op + ":" + id + ":" + v);
                    if (op == 'I') {
                        mine.add(id);
                        next++;
                    } else if (op == 'D') {
                        mine.remove(id);
                    }
                    Thread.sleep(1);
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

    private static List<String> audited(TestDatabase db) {
        return db.query("SELECT op, id, v FROM audit").stream()
                .map(row -> row.get(2) == null ? row.get(0) + ":" + row.get(1)
                        : row.get(0) + ":" + row.get(1) + ":" + row.get(2))
                .sorted().toList();
    }

    private static List<String> triggersOn(TestDatabase db, String table) {
        return db.query("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = '"
                + db.name() + "' AND EVENT_OBJECT_TABLE = '" + table + "' ORDER BY TRIGGER_NAME").stream()
                .map(row -> row.get(0)).toList();
    }

    /** The audit table against the writers' committed changes, and the rows against the BEFORE trigger. */
    private static void assertEachChangeAuditedOnce(TestDatabase db, RecordingWriters writers) {
        assertThat(writers.failures).isEmpty();
        assertThat(writers.committed).hasSizeGreaterThan(100);
        assertThat(audited(db)).as("one audit row per committed change, before, during and after the migration")
                .isEqualTo(writers.committed.stream().sorted().toList());
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE id >= 1000000 AND pad <> CONCAT('trg-', id)"))
                .as("every row the writers inserted went through the BEFORE trigger once, old table or new")
                .isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE id < 1000000 AND pad = 'seed'")).isEqualTo(3000);
    }

    @Test
    void eachChangeFiresTheTriggersOnceWhileTheTableIsMigratedUnderWrites(TestDatabase db) throws Exception {
        auditedTable(db);
        SchemaChangeResult result;
        RecordingWriters writers = new RecordingWriters(db, 3);
        try {
            Thread.sleep(100);
            result = migrate(db).build().run();
            Thread.sleep(300); // writes after the cut-over fire the new table's triggers
        } finally {
            writers.close();
        }
        assertEachChangeAuditedOnce(db, writers);
        assertThat(triggersOn(db, "t")).containsExactly("t_ad_v2", "t_ai_v2", "t_au_v2", "t_bi_v2");
        assertThat(triggersOn(db, "_t_del")).as("RENAME TABLE keeps the old table's triggers with it")
                .containsExactly("t_ad", "t_ai", "t_au", "t_bi");
        assertThat(result.oldTable()).contains(db.name() + "._t_del");
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "_t_del", "audit");
    }

    /**
     * A first attempt that fails after the triggers were created on the ghost, while writes go on: the replay must
     * not write the ghost until they are dropped again, or each change replayed then fires them a second time.
     */
    @Test
    void aFailedCutoverAttemptDropsTheGhostsTriggersBeforeTheReplayWritesAgain(TestDatabase db) throws Exception {
        auditedTable(db);
        FailsOnceWithTriggersOnTheGhost strategy = new FailsOnceWithTriggersOnTheGhost(db);
        RecordingWriters writers = new RecordingWriters(db, 3);
        try {
            Thread.sleep(100);
            migrate(db).cutoverStrategy(strategy).defaultRetries(3).build().run();
            Thread.sleep(300);
        } finally {
            writers.close();
        }
        assertThat(strategy.attempts.get()).isEqualTo(2);
        assertThat(strategy.seenOnGhost).as("the triggers were on the ghost in the failed attempt")
                .containsExactly("t_ad_v2", "t_ai_v2", "t_au_v2", "t_bi_v2");
        assertEachChangeAuditedOnce(db, writers);
        assertThat(triggersOn(db, "t")).containsExactly("t_ad_v2", "t_ai_v2", "t_au_v2", "t_bi_v2");
    }

    /** Locks, lets ghost catch up (and create the triggers), unlocks, lets writes reach the binlog, then fails. */
    private static final class FailsOnceWithTriggersOnTheGhost implements CutoverStrategy {
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> seenOnGhost = new CopyOnWriteArrayList<>();
        private final TestDatabase db;

        FailsOnceWithTriggersOnTheGhost(TestDatabase db) {
            this.db = db;
        }

        @Override
        public String name() {
            return "fails-once";
        }

        @Override
        public CutoverOutcome cutOver(CutoverContext context) throws Exception {
            if (attempts.incrementAndGet() > 1) {
                return CutoverStrategy.atomic().cutOver(context);
            }
            try (Connection locker = context.openConnection(); Statement statement = locker.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = 5");
                statement.execute("LOCK TABLES " + context.original().quoted() + " WRITE");
                try {
                    context.awaitReplayCaughtUp(context.lockTimeout());
                    seenOnGhost.addAll(triggersOn(db, context.ghost().name()));
                } finally {
                    statement.execute("UNLOCK TABLES");
                }
            }
            Thread.sleep(500); // the writers go on, and their changes reach the replay while the ghost has triggers
            throw new IllegalStateException("the test's first cut-over attempt fails");
        }
    }

    @Test
    void removesAnExistingSuffixAndKeepsTheOrderOfTriggersOfOneEvent(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL DEFAULT 0, log VARCHAR(64) NOT NULL DEFAULT '')",
                "INSERT INTO t (id) VALUES (1), (2), (3)",
                "CREATE TRIGGER t_first_v2 BEFORE INSERT ON t FOR EACH ROW SET NEW.log = CONCAT(NEW.log, 'a')",
                "CREATE TRIGGER t_second BEFORE INSERT ON t FOR EACH ROW FOLLOWS t_first_v2 "
                        + "SET NEW.log = CONCAT(NEW.log, 'b')");
        List<List<String>> before = db.contentOf("t", "id");

        migrate(db).removeTriggerSuffixIfExists(true).okToDropTable(true).build().run();

        assertThat(db.query("SELECT TRIGGER_NAME, ACTION_ORDER FROM information_schema.TRIGGERS WHERE "
                + "EVENT_OBJECT_SCHEMA = '" + db.name() + "' AND EVENT_OBJECT_TABLE = 't' ORDER BY ACTION_ORDER"))
                .containsExactly(List.of("t_first", "1"), List.of("t_second_v2", "2"));
        assertThat(db.contentOf("t", List.of("id", "n", "log"), "id")).isEqualTo(before);
        db.execute("INSERT INTO t (id) VALUES (4)");
        assertThat(db.query("SELECT log FROM t WHERE id = 4")).containsExactly(List.of("ab"));
        assertThat(db.tables()).containsExactly("t");
    }

    @Test
    void refusesGhostTriggerNamesTakenInTheSchemaWithGhOstsText(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE other (id INT PRIMARY KEY)",
                "CREATE TRIGGER t_ai_ght AFTER INSERT ON t FOR EACH ROW SET @dummy = 1",
                "CREATE TRIGGER t_ai AFTER INSERT ON other FOR EACH ROW SET @dummy = 1");
        assertThatThrownBy(() -> migrate(db).triggerSuffix("_ght").removeTriggerSuffixIfExists(true).build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check())
                        .isEqualTo("triggers"))
                .hasMessageContainingAll("found gh-ost triggers (t_ai). Please use a different suffix or drop them",
                        "`t`");
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "other");
        assertThat(triggersOn(db, "t")).containsExactly("t_ai_ght");
    }

    @Test
    void checksTheSixtyFourCharacterLimitOnTheNewNamesOnly(TestDatabase db) {
        String sixty = "trigger_long_name_padding_aaaaaaaaaaaaaaaaaaaaa_60chars_xxxx";
        assertThat(sixty).hasSize(60);
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)",
                "CREATE TRIGGER " + sixty + " AFTER INSERT ON t FOR EACH ROW SET @dummy = 1");

        assertThatThrownBy(() -> migrate(db).triggerSuffix("_v123").build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check())
                        .isEqualTo("triggers"))
                .hasMessageContaining("gh-ost triggers (" + sixty + "_v123) length > 64 characters. Bailing out");
        assertThat(db.tables()).containsExactly("t");

        migrate(db).triggerSuffix("_ght").okToDropTable(true).build().run(); // 64 characters: allowed
        assertThat(triggersOn(db, "t")).containsExactly(sixty + "_ght");
    }

    @Test
    void aDryRunChecksTheTriggersAndCreatesNothing(TestDatabase db) throws SQLException {
        auditedTable(db);
        migrate(db).dryRun(true).build().run();
        assertThat(db.tables()).containsExactlyInAnyOrder("t", "audit");
        assertThat(triggersOn(db, "t")).containsExactly("t_ad", "t_ai", "t_au", "t_bi");
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?")) {
            p.setString(1, db.name());
            try (ResultSet rows = p.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(4);
            }
        }
    }
}
