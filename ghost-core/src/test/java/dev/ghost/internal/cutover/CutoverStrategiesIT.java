package dev.ghost.internal.cutover;

import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.CutoverContext;
import dev.ghost.spi.CutoverOutcome;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every built-in cut-over shares, on the real server: swap, blocked, killed, half-done. */
@ExtendWith(RealServer.class)
class CutoverStrategiesIT {

    private static CutoverStrategy strategy(String name) {
        return switch (name) {
            case "atomic" -> CutoverStrategy.atomic();
            case "two-step" -> CutoverStrategy.twoStep();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void tablesWithData(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2)",
                "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT, extra INT)",
                "INSERT INTO _t_gho VALUES (1, 1, 9), (2, 2, 9)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomic", "two-step"})
    void swapsTheTablesAndReportsTheLockTime(String name, TestDatabase db) throws Exception {
        tablesWithData(db);
        CutoverOutcome outcome = strategy(name).cutOver(new Context(db, c -> { }));
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
        assertThat(db.query("SELECT id, v, extra FROM t ORDER BY id"))
                .containsExactly(List.of("1", "1", "9"), List.of("2", "2", "9"));
        assertThat(outcome.lockHeld()).isPositive();
    }

    @Test
    void renameUnderLockIsRefusedOnMariaDbWithTheOriginalUntouched(TestDatabase db) throws Exception {
        tablesWithData(db);
        try (Connection c = db.connect()) {
            if (CutoverSupport.renamesUnderLock(c)) {
                new RenameUnderLockCutover().cutOver(new Context(db, x -> { }));
                assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
                return;
            }
        }
        assertThatThrownBy(() -> CutoverStrategy.renameUnderLock().cutOver(new Context(db, x -> { })))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
    }

    /** What the probe found: MariaDB refuses RENAME TABLE under LOCK TABLES; the version rule for MySQL. */
    @Test
    void mariaDbRefusesRenameTableUnderLockTables(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE _t_gho (id INT PRIMARY KEY)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("LOCK TABLES t WRITE, _t_gho WRITE");
            if (!CutoverSupport.renamesUnderLock(c)) {
                assertThatThrownBy(() -> s.execute("RENAME TABLE t TO _t_del, _t_gho TO t"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("locked tables");
            }
            s.execute("UNLOCK TABLES");
        }
        assertThat(CutoverSupport.renamesUnderLock("8.0.13", "MySQL Community Server - GPL")).isTrue();
        assertThat(CutoverSupport.renamesUnderLock("8.4.2", "MySQL Community Server - GPL")).isTrue();
        assertThat(CutoverSupport.renamesUnderLock("8.0.12", "MySQL Community Server - GPL")).isFalse();
        assertThat(CutoverSupport.renamesUnderLock("5.7.44-log", "MySQL Community Server (GPL)")).isFalse();
        assertThat(CutoverSupport.renamesUnderLock("11.4.5-MariaDB-log", "MariaDB Server")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomic", "two-step"})
    void aKilledLockerLeavesTheOriginalIntactAndTheRetrySucceeds(String name, TestDatabase db) throws Exception {
        tablesWithData(db);
        Context killing = new Context(db, context -> context.kill(context.opened.get(0)));
        assertThatThrownBy(() -> strategy(name).cutOver(killing)).isInstanceOf(Exception.class);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
        assertThat(db.query("SELECT COUNT(*) FROM t WHERE v IS NOT NULL")).containsExactly(List.of("2"));
        db.execute("INSERT INTO t VALUES (3, 3)"); // usable, not locked
        db.execute("INSERT INTO _t_gho VALUES (3, 3, 9)"); // what the replay would have done

        strategy(name).cutOver(new Context(db, c -> { }));
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE extra = 9")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomic", "two-step"})
    void aBlockingTransactionTimesTheAttemptOutAndTheTableStaysUsable(String name, TestDatabase db)
            throws Exception {
        tablesWithData(db);
        try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeQuery("SELECT * FROM t").close(); // holds a metadata lock on t until the commit
            assertThatThrownBy(() -> strategy(name).cutOver(new Context(db, c -> { })))
                    .isInstanceOf(SQLException.class).hasMessageContaining("could not lock " + db.name() + ".t within")
                    .hasMessageContaining("session ") // the blocker, named
                    .cause().hasMessageContaining("Lock wait timeout");
            assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
            db.execute("INSERT INTO t VALUES (3, 3)");
            blocker.commit();
        }
        strategy(name).cutOver(new Context(db, c -> { }));
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
    }

    @Test
    void anErrorAfterTheSwapIsReportedAsTheSuccessItWas(TestDatabase db) throws Exception {
        tablesWithData(db);
        db.execute("RENAME TABLE t TO _t_del, _t_gho TO t");
        CutoverOutcome outcome = CutoverSupport.settle(new Context(db, c -> { }),
                new SQLException("Communications link failure"), System.nanoTime(), false);
        assertThat(outcome.lockHeld()).isPositive();
    }

    @Test
    void anErrorBeforeTheSwapIsReportedAsTheFailureItWas(TestDatabase db) {
        tablesWithData(db);
        SQLException failure = new SQLException("Communications link failure");
        assertThatThrownBy(() -> CutoverSupport.settle(new Context(db, c -> { }), failure, System.nanoTime(), true))
                .isSameAs(failure);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
    }

    @Test
    void aTwoStepCutOverBrokenBetweenItsRenamesIsFinishedOrUndone(TestDatabase db) throws Exception {
        tablesWithData(db);
        db.execute("RENAME TABLE t TO _t_del"); // the first rename ran, then the session died
        CutoverSupport.settle(new Context(db, c -> { }), new SQLException("gone"), System.nanoTime(), true);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_del", "t");
        assertThat(db.queryLong("SELECT COUNT(*) FROM t WHERE extra = 9")).isEqualTo(2);

        db.execute("DROP TABLE _t_del", "RENAME TABLE t TO _t_gho", "CREATE TABLE _t_del (id INT PRIMARY KEY, v INT)");
        SQLException failure = new SQLException("gone");
        // Without proof that the replay caught up, the original goes back.
        assertThatThrownBy(() -> CutoverSupport.settle(new Context(db, c -> { }), failure, 0, false))
                .isSameAs(failure);
        assertThat(db.tables()).containsExactlyInAnyOrder("_t_gho", "t");
    }

    /** A context on the test schema whose replay is always caught up; {@code whileLocked} runs while locked. */
    private static final class Context implements CutoverContext {
        private final TestDatabase db;
        private final ServerConnections connections;
        private final TableName t;
        private final Consumer<Context> whileLocked;
        final List<Long> opened = new CopyOnWriteArrayList<>();

        Context(TestDatabase db, Consumer<Context> whileLocked) {
            this.db = db;
            this.connections = new ServerConnections(ServerAddress.of(db.server().host(), db.server().port()),
                    db.server().user(), db.server().password(), db.name());
            this.t = new TableName(db.name(), "t");
            this.whileLocked = whileLocked;
        }

        void kill(long connectionId) {
            db.execute("KILL " + connectionId);
        }

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
            Connection connection = connections.open();
            opened.add(CutoverSupport.connectionId(connection));
            return connection;
        }

        @Override
        public Duration lockTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void awaitReplayCaughtUp(Duration timeout) {
            whileLocked.accept(this);
        }
    }
}
