package dev.ghost.internal.apply;

import dev.ghost.MigrationFailedException;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.StatementEvent;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the replay does with statements it is handed, before and without any replay thread (no server needed). */
class ReplayerStatementsTest {

    private static final TableName T = new TableName("s", "t");
    private static final TableName GHOST = new TableName("s", "_t_gho");
    private static final TableName CHANGELOG = new TableName("s", "_t_ghc");
    private static final BinlogPosition AT = new BinlogPosition("binlog.000001", 1234, null);

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Replayer replayer = new Replayer(new ReplayPlan(T, GHOST, CHANGELOG, List.of(), List.of(),
            List.of(), List.of(), null, false), List.of(), null, () -> 100, 2, 1 << 20, new ReplayObserver() {
        @Override
        public void applied(long rows) {
        }

        @Override
        public void backlog(long rows, BinlogPosition streamerPosition) {
        }

        @Override
        public void heartbeat(Duration lag) {
        }

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }, warnings -> { });

    @Test
    void aStatementOnTheOriginalStopsTheMigrationWithAMessageThatSaysWhatToDo() throws Exception {
        replayer.statement(new StatementEvent(List.of(T), "TRUNCATE TABLE t", "s", AT));

        assertThat(failures).singleElement().isInstanceOf(MigrationFailedException.class);
        assertThat(failures.get(0).getMessage())
                .contains("the original table `s`.`t`", "\"TRUNCATE TABLE t\"", "binlog.000001:1234",
                        "ghost cannot replay statements that are not row events", "original table is untouched",
                        "Run the migration again after the statement", "binlog_format=ROW in every session");
    }

    @Test
    void afterAStatementNoMarkerCompletesPendingOrNew() throws Exception {
        CompletableFuture<dev.ghost.spi.BinlogPosition> pending = replayer.expectMarker("cutover-1");
        replayer.statement(new StatementEvent(List.of(GHOST), "DROP TABLE `s`.`_t_gho`", "s", AT));

        assertThatThrownBy(pending::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MigrationFailedException.class);
        assertThatThrownBy(() -> replayer.expectMarker("cutover-2").get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("ghost's ghost table `s`.`_t_gho`");
    }

    @Test
    void aVeryLongStatementIsShortenedInTheMessage() throws Exception {
        String sql = "UPDATE t SET c = '" + "x".repeat(5000) + "'";
        replayer.statement(new StatementEvent(List.of(T, CHANGELOG), sql, "s", AT));

        assertThat(failures.get(0).getMessage()).contains("(" + sql.length() + " characters)",
                "the original table `s`.`t` and ghost's changelog table `s`.`_t_ghc`").hasSizeLessThan(1200);
    }

    @Test
    void aRenameWaitsForItsTurnInTheBinlog() throws Exception {
        replayer.statement(new StatementEvent(List.of(T), "RENAME TABLE t TO u", "s", AT));

        assertThat(failures).as("judged by the replay thread, in order with the markers").isEmpty();
        assertThat(replayer.expectMarker("m")).isNotDone();
    }

    @Test
    void ghostsOwnCreateTriggerPassesOnceWithTheDefinerTheServerLogged() throws Exception {
        String sent = "CREATE TRIGGER `t_ai_v2` AFTER INSERT ON `s`.`_t_gho` FOR EACH ROW INSERT INTO a VALUES (1)";
        replayer.expectStatement(sent);
        String logged = "CREATE DEFINER=`gh-ost`@`127.0.0.1` TRIGGER `t_ai_v2` AFTER INSERT ON `s`.`_t_gho` "
                + "FOR EACH ROW INSERT INTO a VALUES (1)";

        replayer.statement(new StatementEvent(List.of(GHOST), logged, "s", AT));
        assertThat(failures).isEmpty();

        replayer.statement(new StatementEvent(List.of(GHOST), logged, "s", AT));
        assertThat(failures).as("only once").singleElement().isInstanceOf(MigrationFailedException.class);
    }

    @Test
    void aCreateTriggerWithAnotherBodyStopsTheMigration() throws Exception {
        replayer.expectStatement("CREATE TRIGGER `x` AFTER INSERT ON `s`.`_t_gho` FOR EACH ROW SET @a = 1");
        replayer.statement(new StatementEvent(List.of(GHOST), "CREATE DEFINER='u'@'%' TRIGGER `x` AFTER INSERT ON "
                + "`s`.`_t_gho` FOR EACH ROW SET @a = 2", "s", AT));
        assertThat(failures).singleElement().isInstanceOf(MigrationFailedException.class);
    }

    @Test
    void removesOnlyTheDefinerTheServerInserted() {
        assertThat(Replayer.withoutDefiner("CREATE DEFINER=`a``b`@`h 1` TRIGGER x")).isEqualTo("CREATE TRIGGER x");
        assertThat(Replayer.withoutDefiner("CREATE DEFINER=root@localhost TRIGGER x"))
                .isEqualTo("CREATE TRIGGER x");
        assertThat(Replayer.withoutDefiner("CREATE TRIGGER x")).isEqualTo("CREATE TRIGGER x");
        assertThat(Replayer.withoutDefiner("DROP TABLE t")).isEqualTo("DROP TABLE t");
    }
}
