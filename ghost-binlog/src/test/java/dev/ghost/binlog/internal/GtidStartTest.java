package dev.ghost.binlog.internal;

import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting at a GTID position (MariaDB here), and resuming from the GTIDs in the positions delivered. */
@ExtendWith(RealServer.class)
class GtidStartTest {

    @Test
    void startsAtAGtidPositionCapturedMidStreamAndDeliversExactlyTheTransactionsAfterIt(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
        String captured = db.query("SELECT @@gtid_binlog_pos").get(0).get(0);
        db.execute("INSERT INTO t VALUES (3)", "INSERT INTO t VALUES (4), (5)", "DELETE FROM t WHERE id = 1");

        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            BinlogPosition start = source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")),
                    new BinlogPosition(null, 0, captured)), sink);
            assertThat(start.gtidSet()).isEqualTo(captured);

            List<RowsEvent> events = sink.next(3);
            assertThat(events).extracting(RowsEvent::kind).containsExactly(RowsEvent.Kind.INSERT,
                    RowsEvent.Kind.INSERT, RowsEvent.Kind.DELETE);
            assertThat(events.get(0).after()).extracting(row -> row[0]).containsExactly(3L);
            assertThat(events.get(1).after()).extracting(row -> row[0]).containsExactly(4L, 5L);
            assertThat(events.get(2).before()).extracting(row -> row[0]).containsExactly(1L);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.position().file()).isNotBlank();
                assertThat(e.position().offset()).isPositive();
                assertThat(e.position().gtidSet()).isNotBlank();
            });

            db.execute("INSERT INTO t VALUES (6)"); // and the stream goes on live
            assertThat(sink.next().after()).extracting(row -> row[0]).containsExactly(6L);
            assertThat(sink.pending()).isEmpty();
        }
    }

    @Test
    void aDeliveredPositionsGtidsResumeWithoutLosingOrRepeatingATransaction(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        List<TableSchema> tables = List.of(Schemas.read(db, "t"));
        String startGtid = db.query("SELECT @@gtid_binlog_pos").get(0).get(0);
        // One transaction of two rows events, then a transaction of one.
        db.execute("BEGIN", "INSERT INTO t VALUES (10)", "INSERT INTO t VALUES (11)", "COMMIT",
                "INSERT INTO t VALUES (12)");

        List<RowsEvent> first;
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), tables, new BinlogPosition(null, 0, startGtid)), sink);
            first = sink.next(3);
        }
        assertThat(first).extracting(e -> e.after().get(0)[0]).containsExactly(10L, 11L, 12L);
        // Inside the two-row transaction: the set without it, so resuming delivers it again from its start.
        assertThat(first.get(0).position().gtidSet()).isEqualTo(first.get(1).position().gtidSet());
        assertThat(resumedFrom(db, tables, first.get(1).position())).containsExactly(10L, 11L, 12L);
        // In the next transaction: the two-row one is complete and is not delivered again.
        assertThat(first.get(2).position().gtidSet()).isNotEqualTo(first.get(1).position().gtidSet());
        assertThat(resumedFrom(db, tables, first.get(2).position())).containsExactly(12L);
    }

    @Test
    void aStreamStartedByGtidResumesAfterALostConnectionWithoutLosingOrRepeatingARow(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        String startGtid = db.query("SELECT @@gtid_binlog_pos").get(0).get(0);
        db.execute("INSERT INTO t VALUES (2)");
        RecordingSink sink = new RecordingSink();
        StreamSettings fast = new StreamSettings(Duration.ofMillis(100), Duration.ofMillis(500), 3,
                Duration.ofSeconds(10));
        try (BinlogEventSource source = new BinlogEventSource(fast)) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")),
                    new BinlogPosition(null, 0, startGtid)), sink);
            assertThat(sink.next().after()).extracting(row -> row[0]).containsExactly(2L);
            long firstConnection = source.connectionId();
            db.execute("KILL " + firstConnection);
            db.execute("INSERT INTO t VALUES (3)", "BEGIN", "INSERT INTO t VALUES (4)", "INSERT INTO t VALUES (5)",
                    "COMMIT");
            List<RowsEvent> events = sink.next(3);
            assertThat(events).extracting(e -> e.after().get(0)[0]).containsExactly(3L, 4L, 5L);
            assertThat(source.connectionId()).isNotEqualTo(firstConnection);
            db.execute("INSERT INTO t VALUES (6)");
            assertThat(sink.next().after()).extracting(row -> row[0]).containsExactly(6L);
            assertThat(sink.pending()).isEmpty();
            assertThat(sink.hasFailed()).isFalse();
        }
    }

    /** The ids inserted after {@code position}, read by a new source until row 99 arrives. */
    private static List<Long> resumedFrom(TestDatabase db, List<TableSchema> tables, BinlogPosition position)
            throws Exception {
        db.execute("INSERT INTO t VALUES (99)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), tables, new BinlogPosition(null, 0, position.gtidSet())),
                    sink);
            List<Long> ids = new java.util.ArrayList<>();
            while (true) {
                RowsEvent event = sink.next();
                if (event.kind() == RowsEvent.Kind.DELETE) {
                    continue;
                }
                long id = (Long) event.after().get(0)[0];
                if (id == 99L) {
                    db.execute("DELETE FROM t WHERE id = 99");
                    return ids;
                }
                ids.add(id);
            }
        }
    }
}
