package dev.ghost.examples;

import com.sun.net.httpserver.HttpServer;
import dev.ghost.CriticalLoadException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.ThrottlePolicy;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each built-in throttle reason holds the copy (the migration cannot end while it holds) and shows in the status; once
 * the cause is gone the copy resumes and the migration completes with every row. Critical load stops the migration
 * and leaves only the original table.
 */
@ExtendWith(RealServer.class)
class ThrottlingIT {

    private static final int ROWS = 3_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT").chunkSize(100);
    }

    /** Waits until the status shows a throttle reason the predicate accepts; fails if the migration ends first. */
    static String awaitThrottleReason(RunningMigration migration, Predicate<String> accepted) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Optional<String> reason = migration.status().throttleReason();
            if (reason.isPresent() && accepted.test(reason.get())) {
                return reason.get();
            }
            if (migration.status().state().isTerminal()) {
                migration.await();
                throw new AssertionError("migration ended before throttling: " + migration.status());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such throttle reason within " + PATIENCE + ": " + migration.status());
            }
            Thread.sleep(20);
        }
    }

    /** While throttled from the start, the copy has not reached its end: the migration is still copying. */
    private static void assertHeld(RunningMigration migration, String reasonPart) {
        assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);
        assertThat(migration.status().rowsCopied()).isLessThan(ROWS);
        assertThat(migration.status().statusLine()).contains("State: throttled, ").contains(reasonPart);
    }

    private static void assertCompleted(TestDatabase db, RunningMigration migration, List<List<String>> before) {
        SchemaChangeResult result = migration.await();
        assertThat(result.rowsCopied()).isEqualTo(ROWS);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        assertThat(migration.status().throttleReason()).isEmpty();
    }

    private static List<List<String>> createOrders(TestDatabase db) {
        MixedTable.create(db, "orders", ROWS);
        return db.contentOf("orders", COLUMNS, "id");
    }

    @Test
    void flagFileHoldsTheCopyUntilItIsRemoved(TestDatabase db, @TempDir Path dir) throws Exception {
        List<List<String>> before = createOrders(db);
        Path flag = Files.createFile(dir.resolve("throttle.flag"));
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.flagFile(flag)).build().start();

        String reason = awaitThrottleReason(migration, r -> r.contains("flag-file"));
        assertThat(reason).isEqualTo("flag-file " + flag);
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
        assertHeld(migration, "flag-file " + flag);

        Files.delete(flag);
        assertCompleted(db, migration, before);
    }

    @Test
    void maxLoadHoldsTheCopyWhileSessionsRunAndNamesTheVariable(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        long baseline = db.queryLong("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                + "WHERE VARIABLE_NAME = 'THREADS_RUNNING'");
        int sleepers = 12;
        long limit = baseline + 6;
        ExecutorService pool = Executors.newFixedThreadPool(sleepers);
        List<Connection> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < sleepers; i++) {
                Connection session = db.connect();
                sessions.add(session);
                pool.submit(() -> {
                    try (Statement statement = session.createStatement()) {
                        statement.execute("SELECT SLEEP(600)");
                    }
                    return null;
                });
            }
            while (db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(600)'")
                    < sleepers) {
                Thread.sleep(20);
            }
            RunningMigration migration = migrate(db)
                    .throttlePolicy(ThrottlePolicy.maxLoad("Threads_connected=100000,Threads_running=" + limit))
                    .build().start();

            String reason = awaitThrottleReason(migration, r -> r.startsWith("max-load"));
            assertThat(reason).matches("max-load Threads_running=\\d+ >= " + limit);
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
            assertHeld(migration, "max-load Threads_running=");

            for (List<String> row : db.query("SELECT ID FROM information_schema.PROCESSLIST "
                    + "WHERE INFO = 'SELECT SLEEP(600)'")) {
                db.execute("KILL QUERY " + row.get(0));
            }
            assertCompleted(db, migration, before);
        } finally {
            for (Connection session : sessions) {
                session.close();
            }
            pool.shutdownNow();
        }
    }

    @Test
    void maxLagBelowTheMeasuredLagHoldsTheCopyUntilRaisedAtRunTime(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        // a lag limit of one nanosecond is below any lag the heartbeat measures (whole milliseconds, mostly > 0)
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.maxLag(Duration.ofNanos(1)))
                .build().start();
        migration.throttle(); // holds the copy while we wait for a heartbeat that took a millisecond or more

        String reason = awaitThrottleReason(migration, r -> r.contains("lag="));
        assertThat(reason).matches("commanded by user, lag=\\d+\\.\\d{3}s > max-lag-millis=0");

        migration.maxLag(Duration.ofHours(1));
        migration.unthrottle();
        assertCompleted(db, migration, before);
    }

    @Test
    void throttleQueryHoldsTheCopyWhileItAnswersAboveZero(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        db.execute("CREATE TABLE gate (closed INT NOT NULL)", "INSERT INTO gate VALUES (1)");
        RunningMigration migration = migrate(db).throttleQuery("SELECT closed FROM gate").build().start();

        assertThat(awaitThrottleReason(migration, r -> r.contains("throttle-query"))).isEqualTo("throttle-query");
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
        assertHeld(migration, "throttle-query");

        db.execute("UPDATE gate SET closed = 0");
        assertCompleted(db, migration, before);
    }

    @Test
    void aThrottleQueryCanBeSetAndRemovedAtRunTime(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        RunningMigration migration = migrate(db).build().start();
        migration.postponeCutover(); // it cannot end before the query is set
        migration.throttleQuery("SELECT 1");
        assertThat(awaitThrottleReason(migration, r -> r.contains("throttle-query"))).isEqualTo("throttle-query");
        migration.throttleQuery(null);
        migration.unpostponeCutover();
        assertCompleted(db, migration, before);
    }

    @Test
    void httpCheckHoldsTheCopyUntilTheUrlAnswers200(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        AtomicInteger answer = new AtomicInteger(503);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/throttle", exchange -> {
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        http.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/throttle");
            RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.throttleHttp(url)).build().start();

            String reason = awaitThrottleReason(migration, r -> r.startsWith("throttle-http"));
            assertThat(reason).isEqualTo("throttle-http " + url + " answered 503");
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
            assertHeld(migration, "answered 503");

            answer.set(200);
            assertCompleted(db, migration, before);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void httpCheckUrlCanBeChangedAndSetAtRunTime(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/closed", exchange -> {
            exchange.sendResponseHeaders(429, -1);
            exchange.close();
        });
        http.createContext("/open", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            URI closed = URI.create(base + "/closed");
            // built with a check and its own interval: a new URL keeps them
            RunningMigration built = migrate(db).throttlePolicy(ThrottlePolicy.throttleHttp(closed,
                    Duration.ofMillis(50), Duration.ofMillis(500), false)).build().start();
            assertThat(awaitThrottleReason(built, r -> r.startsWith("throttle-http")))
                    .isEqualTo("throttle-http " + closed + " answered 429");
            OnlineMigrationIT.awaitState(built, MigrationState.COPYING, PATIENCE);
            assertHeld(built, "answered 429");
            assertThatThrownBy(() -> built.throttleHttp(URI.create("ftp://x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("throttle-http: not an http(s) URL: ftp://x");
            built.throttleHttp(URI.create(base + "/open"));
            assertCompleted(db, built, before);

            // built without one: setting a URL starts the check, null ends it
            db.execute("DROP TABLE _orders_del");
            RunningMigration unset = migrate(db).alter("DROP COLUMN extra").build().start();
            unset.throttleHttp(closed);
            assertThat(awaitThrottleReason(unset, r -> r.startsWith("throttle-http")))
                    .isEqualTo("throttle-http " + closed + " answered 429");
            OnlineMigrationIT.awaitState(unset, MigrationState.COPYING, PATIENCE);
            assertHeld(unset, "answered 429");
            unset.throttleHttp(null);
            assertCompleted(db, unset, before);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void unreachableHttpCheckThrottlesUnlessErrorsAreIgnored(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = http.getAddress().getPort();
        http.stop(0); // nothing listens there any more
        URI url = URI.create("http://127.0.0.1:" + port + "/throttle");

        RunningMigration held = migrate(db).throttlePolicy(ThrottlePolicy.throttleHttp(url)).build().start();
        assertThat(awaitThrottleReason(held, r -> r.startsWith("throttle-http"))).contains(url + " failed");
        held.cancel();
        assertThatThrownBy(held::await).isInstanceOf(dev.ghost.MigrationCancelledException.class);

        RunningMigration ignoring = migrate(db).throttlePolicy(ThrottlePolicy.throttleHttp(url,
                Duration.ofMillis(100), Duration.ofMillis(500), true)).build().start();
        assertCompleted(db, ignoring, before);
    }

    @Test
    void everyReasonShowsAtOnce(TestDatabase db, @TempDir Path dir) throws Exception {
        createOrders(db);
        Path first = Files.createFile(dir.resolve("a.flag"));
        Path second = Files.createFile(dir.resolve("b.flag"));
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.flagFile(first))
                .throttlePolicy(ThrottlePolicy.flagFile(second)).build().start();
        migration.throttle();

        assertThat(awaitThrottleReason(migration, r -> r.contains("b.flag")))
                .isEqualTo("commanded by user, flag-file " + first + "; flag-file " + second);
        migration.cancel();
        assertThatThrownBy(migration::await).isInstanceOf(dev.ghost.MigrationCancelledException.class);
    }

    @Test
    void criticalLoadStopsTheMigrationAndLeavesOnlyTheOriginal(TestDatabase db) {
        List<List<String>> before = createOrders(db);
        // Threads_running counts the session that asks, so a limit of 1 is always reached
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.criticalLoad("Threads_running=1",
                Duration.ofMillis(50), Duration.ZERO)).build().start();

        assertThatThrownBy(migration::await).isInstanceOfSatisfying(CriticalLoadException.class, e -> {
            assertThat(e.reached()).matches("Threads_running=\\d+ >= 1");
            assertThat(e.getMessage()).contains("critical-load met: Threads_running=");
            assertThat(e.remainingTables()).isEmpty();
        });
        assertThat(migration.status().state()).isEqualTo(MigrationState.FAILED);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void criticalLoadWithHibernationHoldsTheCopyInsteadAndCanBeLiftedAtRunTime(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.criticalLoad("Threads_running=1",
                Duration.ZERO, Duration.ofMillis(300))).build().start();

        assertThat(awaitThrottleReason(migration, r -> r.contains("critical-load")))
                .isEqualTo("critical-load hibernation");
        migration.criticalLoad("");
        assertCompleted(db, migration, before);
    }

    @Test
    void criticalLoadStillStopsTheMigrationWhileTheCutoverIsPostponed(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        RunningMigration migration = migrate(db).build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);

        migration.criticalLoad("Threads_running=1");
        assertThatThrownBy(migration::await).isInstanceOf(CriticalLoadException.class);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void criticalLoadStopsAMigrationWhoseCutoverIsRetrying(TestDatabase db) throws Exception {
        List<List<String>> before = createOrders(db);
        AtomicInteger attempts = new AtomicInteger();
        try (Connection holder = db.connect(); Statement blocking = holder.createStatement()) {
            holder.setAutoCommit(false);
            blocking.executeQuery("SELECT COUNT(*) FROM orders").close(); // a metadata lock every attempt waits on
            RunningMigration migration = migrate(db).cutoverLockTimeout(Duration.ofSeconds(1)).defaultRetries(100)
                    .listener(new dev.ghost.event.MigrationListener() {
                        @Override
                        public boolean approveCutover(String table, int attempt) {
                            attempts.set(attempt);
                            return true;
                        }
                    }).build().start();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (attempts.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(attempts.get()).as("cut-over attempts that failed on the blocker").isGreaterThanOrEqualTo(2);

            migration.criticalLoad("Threads_running=1");
            assertThatThrownBy(migration::await).isInstanceOf(CriticalLoadException.class);
            assertThat(attempts.get()).isLessThan(100);
            holder.commit();
        }
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void aThrottleAfterTheCopyHoldsTheCutover(TestDatabase db, @TempDir Path dir) throws Exception {
        List<List<String>> before = createOrders(db);
        Path flag = dir.resolve("throttle.flag");
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.flagFile(flag)).build().start();
        migration.postponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);
        Files.createFile(flag);
        awaitThrottleReason(migration, r -> r.equals("flag-file " + flag));

        migration.unpostponeCutover();
        OnlineMigrationIT.awaitState(migration, MigrationState.CATCHING_UP, PATIENCE);
        assertThat(migration.status().statusLine()).contains("State: throttled, flag-file " + flag);
        assertThat(db.tables()).contains("_orders_gho");

        Files.delete(flag);
        assertCompleted(db, migration, before);
    }

    @Test
    void niceRatioRestsBetweenChunksAndStillCompletes(TestDatabase db) {
        List<List<String>> before = createOrders(db);
        RunningMigration migration = migrate(db).throttlePolicy(ThrottlePolicy.niceRatio(0.5)).build().start();
        migration.niceRatio(1.0);
        assertCompleted(db, migration, before);
        assertThatThrownBy(() -> migration.niceRatio(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
