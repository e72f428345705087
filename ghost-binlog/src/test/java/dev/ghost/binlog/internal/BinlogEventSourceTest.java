package dev.ghost.binlog.internal;

import dev.ghost.BinlogStreamException;
import dev.ghost.BinlogStreamException.Reason;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the source streams: where it starts, what it filters, how it fails, reconnects and stops. */
@ExtendWith(RealServer.class)
class BinlogEventSourceTest {

    /** Fast keep-alive so that reconnect tests take a second, not half a minute. */
    private static final StreamSettings FAST = new StreamSettings(Duration.ofMillis(100), Duration.ofMillis(500), 3,
            Duration.ofSeconds(10));

    @Test
    void startsAtTheCurrentPositionAndDeliversAChangeMadeRightAfterStartReturns(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t VALUES (1, 'before')");
        BinlogPosition before;
        try (var connection = db.connect()) {
            before = ServerPositionReader.currentPosition(connection);
        }
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            BinlogPosition start = source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null),
                    sink);
            assertThat(start.file()).isEqualTo(before.file());
            assertThat(start.offset()).isGreaterThanOrEqualTo(before.offset());
            assertThat(start.gtidSet()).isNotBlank(); // MariaDB's gtid_binlog_pos

            db.execute("INSERT INTO t VALUES (2, 'after')");
            RowsEvent insert = sink.next();
            assertThat(insert.table()).isEqualTo(new TableName(db.name(), "t"));
            assertThat(insert.kind()).isEqualTo(RowsEvent.Kind.INSERT);
            assertThat(insert.after()).hasSize(1);
            assertThat(insert.after().get(0)).containsExactly(2L, "after".getBytes());
            assertThat(insert.position().file()).isEqualTo(start.file());
            assertThat(insert.position().offset()).isGreaterThan(start.offset());
            assertThat(sink.pending()).isEmpty(); // the row inserted before start() is not delivered
        }
    }

    @Test
    void deliversOnlyTheWatchedTablesMatchingTheirNamesExactly(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE T (id INT PRIMARY KEY)",
                "CREATE TABLE other (id INT PRIMARY KEY, big LONGBLOB)",
                "CREATE TABLE watched_too (id INT PRIMARY KEY)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(),
                    List.of(Schemas.read(db, "t"), Schemas.read(db, "watched_too")), null), sink);
            db.execute("INSERT INTO T VALUES (1)", "INSERT INTO other VALUES (1, REPEAT('x', 100000))",
                    "UPDATE other SET id = 2", "DELETE FROM other",
                    "INSERT INTO t VALUES (10), (11)", "INSERT INTO watched_too VALUES (20)",
                    "UPDATE t SET id = id + 100", "DELETE FROM t WHERE id = 110");

            List<RowsEvent> events = sink.next(4);
            assertThat(events).extracting(e -> e.table().name()).containsExactly("t", "watched_too", "t", "t");
            assertThat(events).extracting(RowsEvent::kind).containsExactly(RowsEvent.Kind.INSERT,
                    RowsEvent.Kind.INSERT, RowsEvent.Kind.UPDATE, RowsEvent.Kind.DELETE);
            assertThat(events.get(0).after()).extracting(row -> row[0]).containsExactly(10L, 11L);
            RowsEvent update = events.get(2);
            assertThat(update.rowCount()).isEqualTo(2);
            assertThat(update.before()).extracting(row -> row[0]).containsExactly(10L, 11L);
            assertThat(update.after()).extracting(row -> row[0]).containsExactly(110L, 111L);
            assertThat(events.get(3).before()).extracting(row -> row[0]).containsExactly(110L);
            assertThat(positionsOf(events)).isSorted();
        }
    }

    @Test
    void resumesAtAPositionItDeliveredWithoutLosingAnyLaterEvent(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        List<TableSchema> tables = List.of(Schemas.read(db, "t"));
        List<RowsEvent> original = deliver(db, tables, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)",
                "INSERT INTO t VALUES (3)");
        RecordingSink resumed = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            BinlogPosition ofSecond = byFileAndOffset(original.get(1).position());
            assertThat(source.start(Sources.context(db.server(), tables, ofSecond), resumed)).isEqualTo(ofSecond);
            if (loggedEventPositions(db)) {
                assertThat(resumed.next().after().get(0)[0]).isEqualTo(3L);
            } else {
                // MariaDB 11.4 logs no end position inside a transaction: the second event's position is the start
                // of its transaction, so the second event comes again
                assertThat(resumed.next(2)).extracting(e -> e.after().get(0)[0]).containsExactly(2L, 3L);
            }
            assertThat(resumed.pending()).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only sets and resets a server variable
    void givesEachEventItsOwnEndPositionWhenTheServerLogsIt(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        List<TableSchema> tables = List.of(Schemas.read(db, "t"));
        try (LegacyEventPositions ignored = new LegacyEventPositions(db)) {
            List<RowsEvent> original = deliver(db, tables, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)",
                    "INSERT INTO t VALUES (3)");
            RecordingSink resumed = new RecordingSink();
            try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
                source.start(Sources.context(db.server(), tables, byFileAndOffset(original.get(0).position())),
                        resumed);
                List<RowsEvent> replayed = resumed.next(2);
                assertThat(replayed).extracting(e -> e.after().get(0)[0]).containsExactly(2L, 3L);
                assertThat(positionsOf(replayed)).isEqualTo(positionsOf(original.subList(1, 3)));
            }
        }
    }

    @Test
    void failsOnceWhenAWatchedTableChangesUnderIt(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("INSERT INTO t VALUES (1, 1)", "ALTER TABLE t ADD COLUMN extra INT",
                    "INSERT INTO t VALUES (2, 2, 2)", "INSERT INTO t VALUES (3, 3, 3)");
            assertThat(sink.next().after().get(0)).containsExactly(1L, 1L);
            assertThat(sink.awaitFailure()).hasMessageContaining("t changed under the migration")
                    .hasMessageContaining("3 columns, the schema 2");
            assertThat(sink.pending()).isEmpty();
            assertThat(sink.failureCalls()).isEqualTo(1);
        }
    }

    @Test
    void failsWhenATypeNoLongerMatchesTheSchema(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("ALTER TABLE t MODIFY v VARCHAR(10)", "INSERT INTO t VALUES (1, 'x')");
            assertThat(sink.awaitFailure()).hasMessageContaining("v: the schema says int")
                    .hasMessageContaining("VARCHAR");
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only sets and resets a server variable
    void refusesToGuessWhenItStartsInsideAStatementWhoseTableMapItMissed(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(6000))");
        List<TableSchema> tables = List.of(Schemas.read(db, "t"));
        try (LegacyEventPositions ignored = new LegacyEventPositions(db)) {
            // rows events hold about 8 kB: this one statement logs one TABLE_MAP and several rows events
            List<RowsEvent> original = deliver(db, tables, 3, BIG_STATEMENT);
            assertThat(original).hasSizeGreaterThan(1);
            RecordingSink sink = new RecordingSink();
            try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
                source.start(Sources.context(db.server(), tables, byFileAndOffset(original.get(0).position())),
                        sink);
                assertThat(sink.awaitFailure()).hasMessageContaining("without its TABLE_MAP");
                assertThat(sink.pending()).isEmpty();
            }
        }
    }

    @Test
    void reconnectInsideATransactionDeliversEveryRowsEventOnce(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(6000))");
        int rows = 2000; // about 10 MB in one transaction: more than the socket buffers hold when the kill comes
        CountDownLatch secondEventArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RowsEvent> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Void> allDelivered = new CompletableFuture<>();
        EventSink holdsTheSecondEvent = new EventSink() {
            @Override
            public void accept(RowsEvent event) throws InterruptedException {
                delivered.add(event);
                if (delivered.size() == 2) {
                    secondEventArrived.countDown();
                    release.await();
                }
                if (event.after().stream().anyMatch(row -> (Long) row[0] == rows + 1)) {
                    allDelivered.complete(null);
                }
            }

            @Override
            public void failed(Throwable cause) {
                failure.complete(cause);
                allDelivered.completeExceptionally(cause);
            }
        };
        try (BinlogEventSource source = new BinlogEventSource(FAST)) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), holdsTheSecondEvent);
            db.execute("INSERT INTO t SELECT seq, REPEAT('v', 5000) FROM seq_1_to_" + rows);
            assertThat(secondEventArrived.await(20, TimeUnit.SECONDS)).isTrue();
            long firstConnection = source.connectionId();
            db.execute("KILL " + firstConnection); // while the statement's rows events are still on their way
            release.countDown();
            db.execute("INSERT INTO t VALUES (" + (rows + 1) + ", 'after')");
            allDelivered.get(RecordingSink.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(rowsOf(delivered)).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, rows + 1).boxed().toList());
            assertThat(source.connectionId()).isNotEqualTo(firstConnection);
            assertThat(failure).isNotDone();
        }
    }

    private static final String BIG_STATEMENT =
            "INSERT INTO t VALUES (1, REPEAT('a', 5000)), (2, REPEAT('b', 5000)), (3, REPEAT('c', 5000))";

    private static List<Long> rowsOf(List<RowsEvent> events) {
        return events.stream().flatMap(e -> e.after().stream()).map(row -> (Long) row[0]).toList();
    }

    @Test
    void failsRatherThanSkipMariaDbsCompressedRowsEvents(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("SET GLOBAL log_bin_compress = ON");
            try {
                db.execute("INSERT INTO t VALUES (1, REPEAT('x', 1000))"); // above log_bin_compress_min_len
            } finally {
                db.execute("SET GLOBAL log_bin_compress = OFF");
            }
            assertThat(sink.awaitFailure()).hasMessageContaining("log_bin_compress=ON");
            assertThat(sink.pending()).isEmpty();
        }
    }

    @Test
    void startFailsClearlyWhenThePositionDoesNotExist(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            assertThatThrownBy(() -> source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")),
                    new BinlogPosition("binlog.999999", 4, null)), new RecordingSink()))
                    .isInstanceOf(BinlogStreamException.class)
                    .hasMessageContaining("binlog.999999").hasMessageContaining("SHOW BINARY LOGS")
                    .extracting(e -> ((BinlogStreamException) e).reason()).isEqualTo(Reason.BINLOG_PURGED);
        }
    }

    @Test
    void startFailsWithWhatToGrantWhenTheUserMayNotReadTheBinlog(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        String user = "noslave_" + Long.toHexString(System.nanoTime());
        db.execute("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'pw'",
                "GRANT SELECT ON *.* TO '" + user + "'@'127.0.0.1'");
        BinlogPosition position = position(db);
        try {
            for (BinlogPosition startAt : new BinlogPosition[] {null, position}) { // reading the position; the dump
                try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
                    assertThatThrownBy(() -> source.start(Sources.context(db.server(), user, "pw",
                            List.of(Schemas.read(db, "t")), startAt), new RecordingSink()))
                            .isInstanceOf(BinlogStreamException.class).hasMessageContaining("GRANT REPLICATION SLAVE")
                            .extracting(e -> ((BinlogStreamException) e).reason())
                            .isEqualTo(Reason.MISSING_PRIVILEGE);
                }
            }
        } finally {
            db.execute("DROP USER '" + user + "'@'127.0.0.1'");
        }
    }

    @Test
    void startFailsWhenTheServerLogsStatements(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        db.execute("SET GLOBAL binlog_format = 'STATEMENT'");
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            assertThatThrownBy(() -> source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null),
                    new RecordingSink()))
                    .isInstanceOf(BinlogStreamException.class).hasMessageContaining("binlog_format=STATEMENT")
                    .extracting(e -> ((BinlogStreamException) e).reason()).isEqualTo(Reason.NOT_ROW_FORMAT);
        } finally {
            db.execute("SET GLOBAL binlog_format = 'ROW'");
        }
    }

    private static BinlogPosition position(TestDatabase db) {
        try (var connection = db.connect()) {
            return ServerPositionReader.currentPosition(connection);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void reconnectsAfterTheConnectionIsKilledAndResumesWithoutGapOrDuplicate(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(FAST)) {
            source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), sink);
            db.execute("INSERT INTO t VALUES (1)");
            assertThat(sink.next().after().get(0)[0]).isEqualTo(1L);

            long firstConnection = source.connectionId();
            db.execute("KILL " + firstConnection);
            db.execute("INSERT INTO t VALUES (2)", "INSERT INTO t VALUES (3)"); // while it is down
            List<RowsEvent> afterKill = sink.next(2);
            assertThat(afterKill).extracting(e -> e.after().get(0)[0]).containsExactly(2L, 3L);
            assertThat(source.connectionId()).isNotEqualTo(firstConnection);

            db.execute("INSERT INTO t VALUES (4)");
            assertThat(sink.next().after().get(0)[0]).isEqualTo(4L);
            assertThat(sink.pending()).isEmpty();
            assertThat(sink.hasFailed()).isFalse();
        }
    }

    @Test
    void failsWhenTheConnectionCannotBeRestored(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        String user = "binlog_" + Long.toHexString(System.nanoTime());
        db.execute("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'first'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'127.0.0.1'");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(FAST)) {
            source.start(Sources.context(db.server(), user, "first", List.of(Schemas.read(db, "t")), null), sink);
            db.execute("ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'second'", "KILL " + source.connectionId());
            assertThat(sink.awaitFailure()).hasMessageContaining("could not restore it in 3 attempts");
            assertThat(sink.failureCalls()).isEqualTo(1);
        } finally {
            db.execute("DROP USER '" + user + "'@'127.0.0.1'");
        }
    }

    @Test
    void closeInterruptsASinkThatBlocksAndIsIdempotent(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        CountDownLatch inAccept = new CountDownLatch(1);
        CompletableFuture<Throwable> acceptEnded = new CompletableFuture<>();
        EventSink blocking = new EventSink() {
            @Override
            public void accept(RowsEvent event) throws InterruptedException {
                inAccept.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    acceptEnded.complete(e);
                    throw e;
                }
            }

            @Override
            public void failed(Throwable cause) {
                acceptEnded.complete(cause);
            }
        };
        BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults());
        source.start(Sources.context(db.server(), List.of(Schemas.read(db, "t")), null), blocking);
        db.execute("INSERT INTO t VALUES (1)");
        assertThat(inAccept.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture.runAsync(source::close).get(10, TimeUnit.SECONDS);
        assertThat(acceptEnded.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        source.close();
    }

    @Test
    void startsOnlyOnce(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            var context = Sources.context(db.server(), List.of(Schemas.read(db, "t")), null);
            source.start(context, new RecordingSink());
            assertThatThrownBy(() -> source.start(context, new RecordingSink()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("starts once");
        }
    }

    /** Runs the statements with a source watching, and returns the events they made (one each). */
    private static List<RowsEvent> deliver(TestDatabase db, List<TableSchema> tables, String... statements)
            throws InterruptedException {
        return deliver(db, tables, statements.length, statements);
    }

    /** Runs the statements with a source watching, and returns the events that hold the first {@code rows} rows. */
    private static List<RowsEvent> deliver(TestDatabase db, List<TableSchema> tables, int rows, String... statements)
            throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            source.start(Sources.context(db.server(), tables, null), sink);
            db.execute(statements);
            List<RowsEvent> events = new ArrayList<>();
            while (events.stream().mapToInt(RowsEvent::rowCount).sum() < rows) {
                events.add(sink.next());
            }
            return events;
        }
    }

    /** False on MariaDB 11.4+ with binlog_legacy_event_pos=OFF: events inside transactions have no end position. */
    private static boolean loggedEventPositions(TestDatabase db) {
        List<List<String>> variable = db.query("SHOW GLOBAL VARIABLES LIKE 'binlog_legacy_event_pos'");
        return variable.isEmpty() || "ON".equals(variable.get(0).get(1));
    }

    /** Makes MariaDB 11.4 log every event's end position while open (a no-op where the variable does not exist). */
    private static final class LegacyEventPositions implements AutoCloseable {
        private final TestDatabase db;
        private final boolean changed;

        LegacyEventPositions(TestDatabase db) {
            this.db = db;
            this.changed = !loggedEventPositions(db);
            if (changed) {
                db.execute("SET GLOBAL binlog_legacy_event_pos = ON");
            }
        }

        @Override
        public void close() {
            if (changed) {
                db.execute("SET GLOBAL binlog_legacy_event_pos = OFF");
            }
        }
    }

    /** A delivered position without its GTIDs: a source given GTIDs starts from them (see GtidStartTest). */
    private static BinlogPosition byFileAndOffset(BinlogPosition delivered) {
        return new BinlogPosition(delivered.file(), delivered.offset(), null);
    }

    private static List<Long> positionsOf(List<RowsEvent> events) {
        return events.stream().map(e -> e.position().offset()).toList();
    }
}
