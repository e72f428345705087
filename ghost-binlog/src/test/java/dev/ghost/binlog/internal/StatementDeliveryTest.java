package dev.ghost.binlog.internal;

import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.StatementEvent;
import dev.ghost.spi.TableName;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The source reports, in binlog order with the rows, the statements that name a watched table, and only those. */
@ExtendWith(RealServer.class)
class StatementDeliveryTest {

    @Test
    void statementsOnWatchedTablesArriveInOrderWithTheRows(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "CREATE TABLE _t_gho (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE other (id INT PRIMARY KEY, t INT)", "CREATE DATABASE IF NOT EXISTS " + db.name() + "_x",
                "CREATE TABLE " + db.name() + "_x.t (id INT PRIMARY KEY)");
        TableName t = new TableName(db.name(), "t");
        TableName ghost = new TableName(db.name(), "_t_gho");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.contextWithGhost(db.server(), List.of(Schemas.read(db, "t")), ghost), sink);
            db.execute("INSERT INTO t VALUES (1, 1)",
                    "INSERT INTO other VALUES (1, 1)", // rows of another table: nothing
                    "TRUNCATE TABLE " + db.name() + "_x.t", // another schema's t: nothing
                    "ALTER TABLE other COMMENT 'not about t'", // names t only in a string: nothing
                    "TRUNCATE TABLE t",
                    "INSERT INTO t VALUES (2, 2)",
                    "/*!40000 DROP TABLE `_t_gho` */");
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION binlog_format = 'STATEMENT'");
                statement.execute("UPDATE t SET v = v + 1 WHERE id = 2");
            }

            RowsEvent first = sink.next();
            StatementEvent truncate = sink.nextStatement();
            RowsEvent second = sink.next();
            StatementEvent drop = sink.nextStatement();
            StatementEvent update = sink.nextStatement();

            assertThat(first.after().get(0)).containsExactly(1L, 1L);
            assertThat(truncate.tables()).containsExactly(t);
            assertThat(truncate.sql()).isEqualTo("TRUNCATE TABLE t");
            assertThat(truncate.database()).isEqualTo(db.name());
            assertThat(truncate.position().offset()).isGreaterThan(first.position().offset());
            assertThat(second.position().offset()).isGreaterThan(truncate.position().offset());
            assertThat(drop.tables()).containsExactly(ghost);
            assertThat(update.tables()).containsExactly(t);
            assertThat(update.sql()).isEqualTo("UPDATE t SET v = v + 1 WHERE id = 2");
            assertThat(sink.pending()).isEmpty(); // the statement-format update came as no rows event
            assertThat(sink.pendingStatements()).isEmpty();
            assertThat(sink.hasFailed()).isFalse();
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + db.name() + "_x");
        }
    }

    @Test
    void aSinkThatDoesNotKnowStatementsFailsOnOne(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        EventSink rowsOnly = new EventSink() {
            @Override
            public void accept(RowsEvent event) {
            }

            @Override
            public void failed(Throwable cause) {
                failure.complete(cause);
            }
        };
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), rowsOnly);
            db.execute("OPTIMIZE TABLE t");
            assertThat(failure.get(20, TimeUnit.SECONDS)).hasMessageContainingAll("OPTIMIZE TABLE t",
                    "not as row events", "cannot be replayed");
        }
    }
}
