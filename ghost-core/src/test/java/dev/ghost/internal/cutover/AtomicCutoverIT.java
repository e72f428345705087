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
import java.time.Duration;
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

    private static CutoverContext context(TestDatabase db, boolean replayNeverCatchesUp) {
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
