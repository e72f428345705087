package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how fast rows are decoded, and how fast other tables' rows are skipped. Opt-in, because it measures
 * rather than checks: {@code mvn -pl ghost-binlog test -Dtest=DecodeThroughputTest -Dghost.perf=true}
 * (the property reaches the forked JVM through surefire's argLine: add {@code -DargLine=-Dghost.perf=true}).
 */
@ExtendWith(RealServer.class)
@EnabledIfSystemProperty(named = "ghost.perf", matches = "true")
class DecodeThroughputTest {

    private static final int ROWS = Integer.getInteger("ghost.perf.rows", 500_000);

    @Test
    void sysbenchRows(TestDatabase db) throws Exception {
        measure(db, "sysbench", "(id INT PRIMARY KEY, k INT, c CHAR(120), pad CHAR(60))",
                " SELECT seq, seq * 7, REPEAT('c', 120), REPEAT('p', 60) FROM seq_1_to_" + ROWS);
    }

    @Test
    void rowsOfMixedTypes(TestDatabase db) throws Exception {
        measure(db, "mixed", "(id BIGINT PRIMARY KEY, k INT UNSIGNED, c CHAR(120), pad VARCHAR(60),"
                        + " d DECIMAL(12,2), at DATETIME(6), e ENUM('a','b','c'))",
                " SELECT seq, seq * 7, REPEAT('c', 120), REPEAT('p', 60), seq / 100, NOW(6), 'b'"
                        + " FROM seq_1_to_" + ROWS);
    }

    /** The bare client with its default (lossy) deserializer over the same kind of binlog, for comparison. */
    @Test
    void bareClientBaseline(TestDatabase db) throws Exception {
        String columns = "(id INT PRIMARY KEY, k INT, c CHAR(120), pad CHAR(60))";
        db.execute("CREATE TABLE watched " + columns, "CREATE TABLE marker (id INT PRIMARY KEY)");
        BinlogPosition before;
        try (var connection = db.connect()) {
            before = ServerPositionReader.currentPosition(connection);
        }
        db.execute("INSERT INTO watched SELECT seq, seq * 7, REPEAT('c', 120), REPEAT('p', 60) FROM seq_1_to_" + ROWS,
                "INSERT INTO marker VALUES (1)");
        var client = new BinaryLogClient(db.server().host(), db.server().port(),
                db.server().user(), db.server().password());
        var deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY, CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        client.setEventDeserializer(deserializer);
        client.setServerId(987_654);
        client.setBinlogFilename(before.file());
        client.setBinlogPosition(before.offset());
        AtomicLong rowsSeen = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        client.registerEventListener(event -> {
            if (event.getData() instanceof WriteRowsEventData rows
                    && rowsSeen.addAndGet(rows.getRows().size()) == ROWS + 1) {
                done.complete(System.nanoTime());
            }
        });
        long began = System.nanoTime();
        client.connect(10_000);
        try {
            double seconds = (done.get(300, TimeUnit.SECONDS) - began) / 1e9;
            System.out.printf("bare client: decoded %,d rows in %.2f s (%,.0f rows/s)%n", ROWS, seconds,
                    ROWS / seconds);
        } finally {
            client.disconnect();
        }
    }

    private static void measure(TestDatabase db, String shape, String columns, String rows) throws Exception {
        db.execute("CREATE TABLE watched " + columns, "CREATE TABLE skipped " + columns,
                "CREATE TABLE marker (id INT PRIMARY KEY)");
        List<TableSchema> tables = List.of(Schemas.read(db, "watched"), Schemas.read(db, "marker"));
        // write the binlog first: the source then reads as fast as it can, not as fast as the server writes
        BinlogPosition before;
        try (var connection = db.connect()) {
            before = ServerPositionReader.currentPosition(connection);
        }
        db.execute("INSERT INTO watched" + rows, "INSERT INTO skipped" + rows, "INSERT INTO marker VALUES (1)");

        AtomicLong decoded = new AtomicLong();
        CompletableFuture<Long> watchedDone = new CompletableFuture<>();
        CompletableFuture<Long> markerSeen = new CompletableFuture<>();
        EventSink counting = new EventSink() {
            @Override
            public void accept(RowsEvent event) {
                if (event.table().name().equals("marker")) {
                    markerSeen.complete(System.nanoTime());
                } else if (decoded.addAndGet(event.rowCount()) == ROWS) {
                    watchedDone.complete(System.nanoTime());
                }
            }

            @Override
            public void failed(Throwable cause) {
                watchedDone.completeExceptionally(cause);
                markerSeen.completeExceptionally(cause);
            }
        };
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults())) {
            long began = System.nanoTime();
            source.start(Sources.context(db.server(), tables, before), counting);
            long decodedAt = watchedDone.get(300, TimeUnit.SECONDS);
            long skippedAt = markerSeen.get(300, TimeUnit.SECONDS);
            double decodeSeconds = (decodedAt - began) / 1e9;
            double skipSeconds = (skippedAt - decodedAt) / 1e9;
            System.out.printf(shape + ": decoded %,d rows in %.2f s (%,.0f rows/s);"
                            + " skipped %,d rows in %.2f s (%,.0f rows/s)%n",
                    ROWS, decodeSeconds, ROWS / decodeSeconds, ROWS, skipSeconds, ROWS / skipSeconds);
        }
    }
}
