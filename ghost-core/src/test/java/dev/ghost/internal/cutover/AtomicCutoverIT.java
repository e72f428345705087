package dev.ghost.internal.cutover;

import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RealServer.class)
class AtomicCutoverIT {

    @Test
    void swapsTheTablesAndReportsTheLockTime(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)",
                "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT, extra INT)", "INSERT INTO _t_gho VALUES (1, 1, 9)");
        CutoverOutcome outcome = new AtomicCutover().cutOver(context(db, false));
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
        assertThat(db.query("SELECT extra FROM t")).containsExactly(java.util.List.of("9"));
        assertThat(outcome.lockHeld()).isPositive().isLessThan(Duration.ofSeconds(2));
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'RENAME%'"))
                .containsExactly(java.util.List.of("0"));
    }

    @Test
    void failureWhileLockedLeavesTheOriginalInPlaceAndNoSentry(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE _t_gho (id INT PRIMARY KEY, x INT)");
        assertThatThrownBy(() -> new AtomicCutover().cutOver(context(db, true)))
                .isInstanceOf(TimeoutException.class);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
        db.execute("INSERT INTO t VALUES (1)"); // not locked any more
    }

    /**
     * The cut-over gives up while its rename has not reached the server (a starved pool, a long pause, a slow
     * network), and the rename arrives once the sentry is gone: it must not swap in a ghost table that may be behind.
     * The late rename is let through at the first moment the sentry has gone after being there.
     */
    @Test
    void aRenameThatComesLateNeverSwapsTheTables(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2)",
                "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT, extra INT)", "INSERT INTO _t_gho VALUES (1, 1, 9)");
        List<List<String>> before = db.contentOf("t", "id");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> lateRenameDone = new CompletableFuture<>();
        Executor late = task -> {
            Thread thread = new Thread(() -> {
                try {
                    release.await();
                    task.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lateRenameDone.complete(null);
                }
            });
            thread.setDaemon(true);
            thread.start();
        };
        boolean[] sentrySeen = {false};
        Runnable onOpen = () -> {
            boolean sentry = db.tables().contains("t_gcs");
            sentrySeen[0] |= sentry;
            if (!sentry && sentrySeen[0] && release.getCount() > 0) {
                release.countDown();
                lateRenameDone.join();
            }
        };
        assertThatThrownBy(() -> new AtomicCutover(late).cutOver(context(db, false, onOpen)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("did not queue");
        assertThat(release.getCount()).as("the late rename was let through").isZero();
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
        assertThat(db.contentOf("t", "id")).isEqualTo(before);
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'RENAME%'"))
                .containsExactly(List.of("0"));
    }

    /**
     * A session holding a metadata lock on the ghost table keeps the queued rename waiting past the cut-over's
     * patience: the cut-over fails, and when the session lets go no rename runs; the original keeps its rows and
     * takes writes, and no sentry is left.
     */
    @Test
    void aRenameBlockedOnTheGhostTableFailsCleanlyAndNeverRunsLate(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2)",
                "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT, extra INT)", "INSERT INTO _t_gho VALUES (1, 1, 9)");
        List<List<String>> before = db.contentOf("t", "id");
        try (Connection blocker = db.connect(); Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.executeQuery("SELECT * FROM _t_gho").close(); // holds the ghost's metadata lock until commit
            assertThatThrownBy(() -> new AtomicCutover().cutOver(context(db, false)))
                    .isInstanceOf(SQLException.class);
            db.execute("INSERT INTO t VALUES (3, 3)"); // not locked any more, and still the original
            blocker.commit();
        }
        Thread.sleep(300);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
        assertThat(db.contentOf("t", "id")).containsExactlyElementsOf(concat(before, List.of(List.of("3", "3"))));
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'RENAME%'"))
                .containsExactly(List.of("0"));
    }

    private static List<List<String>> concat(List<List<String>> rows, List<List<String>> more) {
        List<List<String>> all = new java.util.ArrayList<>(rows);
        all.addAll(more);
        return all;
    }

    private static CutoverContext context(TestDatabase db, boolean replayNeverCatchesUp) {
        return context(db, replayNeverCatchesUp, () -> { });
    }

    /** @param onOpen runs each time the cut-over opens a connection */
    private static CutoverContext context(TestDatabase db, boolean replayNeverCatchesUp, Runnable onOpen) {
        ServerConnections connections = new ServerConnections(
                ServerAddress.of(db.server().host(), db.server().port()), db.server().user(), db.server().password(), db.name());
        TableName t = new TableName(db.name(), "t");
        return new CutoverContext() {
            @Override
            public TableName original() {
                return t;
            }

            @Override
            public TableName ghost() {
                return t.sibling("_t_gho");
            }

            @Override
            public TableName old() {
                return t.sibling("_t_del");
            }

            @Override
            public Connection openConnection() throws SQLException {
                onOpen.run();
                return connections.open();
            }

            @Override
            public Duration lockTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public void awaitReplayCaughtUp(Duration timeout) throws Exception {
                if (replayNeverCatchesUp) {
                    throw new TimeoutException("replay did not catch up");
                }
            }
        };
    }
}
