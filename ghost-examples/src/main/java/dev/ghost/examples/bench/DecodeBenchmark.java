package dev.ghost.examples.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import dev.ghost.binlog.BinlogEventSourceProvider;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decode throughput: writes a binlog of a 1M-row insert (sysbench shape) on an embedded server, then reads that same
 * binlog with ghost's event source (exact values, only the watched table decoded) and with the bare
 * mysql-binlog-connector-java client (its own deserializer, every event decoded), and prints events/s and rows/s
 * of both and their ratio. It also times ghost passing over the same rows when their table is not watched, as the
 * copy's own inserts into the ghost table pass by during a migration.
 *
 * <p>{@code BENCH_CLASS=dev.ghost.examples.bench.DecodeBenchmark ghost-examples/bin/benchmark
 * [-Dbench.rows=1000000 -Dbench.runs=5 -Dbench.server=embedded|system]}
 */
public final class DecodeBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final int ROWS_PER_STATEMENT = 10_000;

    private DecodeBenchmark() {
    }

    record Measure(long events, long rows, double seconds) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        TestServer.Kind kind = TestServer.Kind.valueOf(System.getProperty("bench.server", "embedded")
                .toUpperCase(Locale.ROOT));
        try (TestServer server = TestServer.start(kind)) {
            TestDatabase db = server.createDatabase("decode");
            print("server: %s (%s); binlog: %,d rows inserted in statements of %,d rows; runs: %d", kind,
                    server.version(), ROWS, ROWS_PER_STATEMENT, RUNS);
            db.execute("CREATE TABLE sbtest (id INT NOT NULL PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, "
                    + "pad CHAR(60) NOT NULL) ENGINE=InnoDB", "CREATE TABLE marker (id INT PRIMARY KEY)");
            BinlogPosition start = currentPosition(db);
            for (int from = 0; from < ROWS; from += ROWS_PER_STATEMENT) {
                int to = Math.min(ROWS, from + ROWS_PER_STATEMENT);
                db.execute("INSERT INTO sbtest SELECT seq, seq * 7 % 100000, "
                        + "CONCAT(REPEAT('c', 110), LPAD(seq, 10, '0')), REPEAT('p', 60) FROM seq_" + (from + 1)
                        + "_to_" + to);
            }
            db.execute("INSERT INTO marker VALUES (1)");
            List<TableSchema> tables = List.of(schema(db, "sbtest"), schema(db, "marker"));

            // One read of each first, not counted: the JIT compiles both decoders before anything is timed.
            checked("ghost", ghost(server, tables, start, 900_001));
            bare(server, start);
            List<TableSchema> markerOnly = List.of(tables.get(1));
            List<Measure> ghost = new ArrayList<>();
            List<Measure> bare = new ArrayList<>();
            List<Double> skipSeconds = new ArrayList<>();
            for (int run = 1; run <= RUNS; run++) {
                Measure g = checked("ghost", ghost(server, tables, start, 900_001));
                Measure b = bare(server, start);
                double skipped = ghost(server, markerOnly, start, 900_003).seconds(); // every sbtest row passed over
                ghost.add(g);
                bare.add(b);
                skipSeconds.add(skipped);
                print("run %d: ghost %,.0f events/s %,.0f rows/s (%.2f s); bare client %,.0f events/s %,.0f rows/s "
                        + "(%.2f s); ghost passes over unwatched rows at %,.0f rows/s (%.2f s)", run,
                        g.eventsPerSecond(), g.rowsPerSecond(), g.seconds(), b.eventsPerSecond(), b.rowsPerSecond(),
                        b.seconds(), ROWS / skipped, skipped);
            }
            skipSeconds.sort(Double::compare);
            double medianSkip = skipSeconds.get(skipSeconds.size() / 2);
            Measure g = median(ghost);
            Measure b = median(bare);
            print("median: ghost %,.0f rows events/s, %,.0f rows/s; bare client %,.0f rows events/s, %,.0f rows/s",
                    g.eventsPerSecond(), g.rowsPerSecond(), b.eventsPerSecond(), b.rowsPerSecond());
            print("ghost decodes at %.0f%% of the bare client's rate (rows/s)", 100 * g.rowsPerSecond()
                    / b.rowsPerSecond());
            print("ghost passes over rows of tables it does not watch at %,.0f rows/s (median)", ROWS / medianSkip);
            db.close();
        }
    }

    /**
     * ghost's default event source, found as the engine finds it, delivering exact values to a counting sink until
     * the marker row arrives. Rows of tables not in {@code tables} are passed over, not counted.
     */
    private static Measure ghost(TestServer server, List<TableSchema> tables, BinlogPosition start, int serverId)
            throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        EventSink sink = new EventSink() {
            @Override
            public void accept(RowsEvent event) {
                if (event.table().name().equals("marker")) {
                    done.complete(System.nanoTime());
                    return;
                }
                events.incrementAndGet();
                rows.addAndGet(event.rowCount());
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        };
        long began = System.nanoTime();
        try (EventSource source = new BinlogEventSourceProvider().create()) {
            source.start(new EventSourceContext(server.host(), server.port(), server.user(), server.password(),
                    tables, start, serverId, Duration.ofSeconds(30)), sink);
            long end = done.get(600, TimeUnit.SECONDS);
            return new Measure(events.get(), rows.get(), (end - began) / 1e9);
        }
    }

    /** The bare client as its documentation suggests it for exact values: its own deserializer, every event. */
    private static Measure bare(TestServer server, BinlogPosition start) throws Exception {
        BinaryLogClient client = new BinaryLogClient(server.host(), server.port(), server.user(), server.password());
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY, CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        client.setEventDeserializer(deserializer);
        client.setServerId(900_002);
        client.setBinlogFilename(start.file());
        client.setBinlogPosition(start.offset());
        client.setKeepAlive(false);
        AtomicLong events = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AtomicLong markerTableId = new AtomicLong(-1);
        CompletableFuture<Long> done = new CompletableFuture<>();
        client.registerEventListener(event -> {
            if (event.getHeader().getEventType() == EventType.TABLE_MAP) {
                TableMapEventData map = event.getData();
                if (map.getTable().equals("marker")) {
                    markerTableId.set(map.getTableId());
                }
            } else if (event.getData() instanceof WriteRowsEventData write) {
                if (write.getTableId() == markerTableId.get()) {
                    done.complete(System.nanoTime());
                } else {
                    events.incrementAndGet();
                    rows.addAndGet(write.getRows().size());
                }
            }
        });
        long began = System.nanoTime();
        client.connect(30_000);
        try {
            long end = done.get(600, TimeUnit.SECONDS);
            return checked("bare client", new Measure(events.get(), rows.get(), (end - began) / 1e9));
        } finally {
            client.disconnect();
        }
    }

    private static Measure checked(String reader, Measure measure) {
        if (measure.rows() != ROWS) {
            throw new IllegalStateException(reader + " read " + measure.rows() + " rows, expected " + ROWS);
        }
        return measure;
    }

    private static Measure median(List<Measure> measures) {
        List<Measure> sorted = new ArrayList<>(measures);
        sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return sorted.get(sorted.size() / 2);
    }

    private static BinlogPosition currentPosition(TestDatabase db) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery("SHOW MASTER STATUS")) {
            status.next();
            return new BinlogPosition(status.getString(1), status.getLong(2), null);
        }
    }

    /** The table as information_schema describes it, which is what the engine hands an event source. */
    private static TableSchema schema(TestDatabase db, String table) {
        List<ColumnSchema> columns = new ArrayList<>();
        for (List<String> row : db.query("SELECT COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, IS_NULLABLE, "
                + "CHARACTER_SET_NAME, IFNULL(NUMERIC_SCALE, IFNULL(DATETIME_PRECISION, 0)) "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table
                + "' ORDER BY ORDINAL_POSITION")) {
            columns.add(new ColumnSchema(row.get(0), columns.size(), row.get(1), row.get(2), "YES".equals(row.get(3)),
                    row.get(4), false, Integer.parseInt(row.get(5))));
        }
        return new TableSchema(new TableName(db.name(), table), columns);
    }

    private static void print(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
