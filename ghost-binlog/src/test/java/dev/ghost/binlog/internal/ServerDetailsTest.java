package dev.ghost.binlog.internal;

import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server puts into the stream besides rows: rotations, annotations, GTID lists, heartbeats, checksums. */
@ExtendWith(RealServer.class)
class ServerDetailsTest {

    private static final StreamSettings FAST = new StreamSettings(Duration.ofMillis(100), Duration.ofMillis(500), 3,
            Duration.ofSeconds(10));

    @Test
    void keepsDeliveringAcrossRotationsAmongManyTableIdsWithBoundedMaps(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        int others = 60;
        for (int i = 0; i < others; i++) {
            db.execute("CREATE TABLE other" + i + " (id INT PRIMARY KEY)");
        }
        RecordingSink sink = new RecordingSink();
        List<RowsEvent> delivered = new ArrayList<>();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            String firstFile = null;
            long id = 0;
            for (int rotation = 0; rotation < 4; rotation++) {
                try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                    for (int i = 0; i < others; i++) {
                        statement.execute("INSERT INTO other" + i + " VALUES (" + rotation + ")");
                        statement.execute("INSERT INTO t VALUES (" + ++id + ")");
                    }
                    // New table ids for every table (the server reopens them), and a new binlog file.
                    statement.execute("FLUSH TABLES");
                    statement.execute("FLUSH BINARY LOGS");
                }
                delivered.addAll(sink.next(others));
                if (firstFile == null) {
                    firstFile = delivered.get(0).position().file();
                }
            }
            db.execute("INSERT INTO t VALUES (" + ++id + ")");
            delivered.add(sink.next());
            assertThat(delivered.stream().map(e -> (Long) e.after().get(0)[0]).toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, id).boxed().toList());
            assertThat(delivered.get(delivered.size() - 1).position().file()).isNotEqualTo(firstFile);
            assertThat(sink.pending()).isEmpty();
            assertThat(sink.hasFailed()).isFalse();
            assertThat(source.watchedTableIds()).isEqualTo(1);
        }
    }

    @Test
    void skipsMariaDbsAnnotateRowsEvents(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("SET SESSION binlog_annotate_row_events = ON", "INSERT INTO t VALUES (1, 'annotated')",
                    "UPDATE t SET v = 'still' WHERE id = 1");
            List<RowsEvent> events = sink.next(2);
            assertThat(events).extracting(RowsEvent::kind).containsExactly(RowsEvent.Kind.INSERT,
                    RowsEvent.Kind.UPDATE);
            assertThat(events.get(1).after().get(0)).containsExactly(1L, "still".getBytes());
        }
    }

    @Test
    void anIdleStreamStaysConnectedThroughTheServersHeartbeats(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(FAST)) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            long connection = source.connectionId();
            Thread.sleep(FAST.keepAlive().multipliedBy(4).toMillis()); // idle for 20 heartbeat periods
            db.execute("INSERT INTO t VALUES (1)");
            assertThat(sink.next().after().get(0)).containsExactly(1L);
            // Without heartbeats the keep-alive would have counted the silence as a loss and reconnected.
            assertThat(source.connectionId()).isEqualTo(connection);
        }
    }

    @Test
    void readsEventsWithAndWithoutChecksumsAcrossAChange(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        String checksum = db.query("SELECT @@GLOBAL.binlog_checksum").get(0).get(0);
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("INSERT INTO t VALUES (1)");
            try {
                db.execute("SET GLOBAL binlog_checksum = NONE", "INSERT INTO t VALUES (2)",
                        "SET GLOBAL binlog_checksum = CRC32", "INSERT INTO t VALUES (3)");
            } finally {
                db.execute("SET GLOBAL binlog_checksum = " + checksum);
            }
            assertThat(sink.next(3)).extracting(e -> e.after().get(0)[0]).containsExactly(1L, 2L, 3L);
            assertThat(sink.hasFailed()).isFalse();
        }
        // And a stream that starts while the server writes no checksums.
        RecordingSink unchecked = new RecordingSink();
        try {
            db.execute("SET GLOBAL binlog_checksum = NONE");
            try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
                source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), unchecked);
                db.execute("INSERT INTO t VALUES (4)");
                assertThat(unchecked.next().after().get(0)).containsExactly(4L);
            }
        } finally {
            db.execute("SET GLOBAL binlog_checksum = " + checksum);
        }
    }
}
