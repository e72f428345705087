package dev.ghost.internal.verify;

import dev.ghost.internal.copy.KeyBounds;
import dev.ghost.internal.copy.KeyColumn;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.sql.Sql;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Proves, before the cut-over, that the ghost table holds exactly the original's rows with the ALTER's column mapping
 * applied (Spirit's design; neither gh-ost nor pt-online-schema-change has one). Both tables are read at one
 * consistent point: the original is locked for reading just long enough for the replay to apply everything written
 * before the lock and for every checksum connection to open a consistent snapshot. Key ranges, open at both ends so
 * that rows existing only in the ghost table count too, are then checksummed in parallel in those snapshots while the
 * application writes again. A range that differs is copied again from the original and checked again at a new
 * consistent point; one that still differs after the last round stops the migration, named.
 */
public final class TableChecksum {

    private static final Logger log = LoggerFactory.getLogger(TableChecksum.class);
    private static final int ROUNDS = 3;
    private static final int LOCK_ATTEMPTS = 10;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Object[] END_OF_RANGES = new Object[0];

    /** Waits until the replay has applied every event written before the call (a changelog marker). */
    @FunctionalInterface
    public interface ReplayBarrier {
        void awaitApplied() throws Exception;
    }

    /** Throws when the migration was stopped meanwhile. */
    @FunctionalInterface
    public interface StopCheck {
        void check() throws InterruptedException;
    }

    /** What a checksum found: rows compared in the last full pass, ranges re-copied, and the time taken. */
    public record Outcome(long rowsChecked, int rangesRepaired, Duration elapsed) {
    }

    /** A range that still differs after the last round, and why it could not be repaired when known. */
    public record Difference(String range, String reason) {
    }

    /** The ghost table still differs after every repair. */
    public static final class MismatchException extends Exception {
        private final List<Difference> differences;

        MismatchException(List<Difference> differences) {
            super(differences.size() + " key range(s) differ");
            this.differences = List.copyOf(differences);
        }

        public List<Difference> differences() {
            return differences;
        }
    }

    private final ServerConnections connections;
    private final TableName original;
    private final TableName ghost;
    private final ChecksumSql sql;
    private final int threads;
    private final int rowsPerRange;
    private final Duration lockTimeout;
    private final ReplayBarrier barrier;
    private final StopCheck stop;

    public TableChecksum(ServerConnections connections, TableName original, TableName ghost, Plan plan, int threads,
                         int rowsPerRange, Duration lockTimeout, ReplayBarrier barrier, StopCheck stop) {
        this.connections = connections;
        this.original = original;
        this.ghost = ghost;
        this.sql = new ChecksumSql(original, ghost, plan.originalKeyName(), plan.ghostKeyName(),
                new KeyBounds(plan.originalKey()), plan.ghostKey() == null ? null : new KeyBounds(plan.ghostKey()),
                plan.sources(), plan.targets());
        this.threads = Math.max(1, threads);
        this.rowsPerRange = rowsPerRange;
        this.lockTimeout = lockTimeout;
        this.barrier = barrier;
        this.stop = stop;
    }

    /**
     * What to compare.
     *
     * @param originalKeyName the original's index the key ranges follow
     * @param originalKey     its columns
     * @param ghostKeyName    the ghost's index on the same columns, or null
     * @param ghostKey        the key's columns in the ghost, or null when they compare otherwise than the original's
     * @param sources         the copied columns of the original
     * @param targets         the ghost's column each goes to
     */
    public record Plan(String originalKeyName, List<KeyColumn> originalKey, String ghostKeyName,
                       List<KeyColumn> ghostKey, List<dev.ghost.spi.ColumnSchema> sources,
                       List<dev.ghost.spi.ColumnSchema> targets) {
    }

    /** Checks the whole table, repairing what differs; throws when a difference survives every round. */
    public Outcome verify() throws Exception {
        long started = System.nanoTime();
        List<KeyRange> toCheck = null; // every range
        Map<KeyRange, String> repairFailures = new LinkedHashMap<>();
        long rowsChecked = 0;
        int repaired = 0;
        for (int round = 1; ; round++) {
            List<KeyRange> differing;
            try (Snapshots snapshots = Snapshots.open(connections, original, threads, lockTimeout, barrier, stop)) {
                if (toCheck == null) {
                    log.info("Checksum: comparing {} with {} at one consistent point, {} thread(s)", original.quoted(),
                            ghost.quoted(), threads);
                }
                AtomicLong rows = new AtomicLong();
                differing = compare(snapshots, toCheck, rows);
                if (toCheck == null) {
                    rowsChecked = rows.get();
                }
                if (round == ROUNDS) {
                    for (KeyRange range : differing) {
                        String first;
                        try {
                            first = firstDifference(snapshots.get(0), range);
                        } catch (SQLException e) {
                            first = "the first differing row could not be read: " + e.getMessage();
                        }
                        String known = repairFailures.get(range);
                        repairFailures.put(range, known == null ? first : known + "; " + first);
                    }
                }
            }
            if (differing.isEmpty()) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                log.info("Checksum: {} rows of {} match {}{}; Time: {}", rowsChecked, original.quoted(),
                        ghost.quoted(), repaired == 0 ? "" : " after re-copying " + repaired + " range(s)",
                        formatted(elapsed));
                return new Outcome(rowsChecked, repaired, elapsed);
            }
            if (round == ROUNDS) {
                List<Difference> differences = new ArrayList<>();
                for (KeyRange range : differing) {
                    differences.add(new Difference(range.toString(), repairFailures.get(range)));
                }
                throw new MismatchException(differences);
            }
            log.warn("Checksum: {} key range(s) of {} differ in {}; copying them again: {}", differing.size(),
                    original.quoted(), ghost.quoted(), summary(differing));
            for (KeyRange range : differing) {
                stop.check();
                String failure = repair(range);
                if (failure == null) {
                    repairFailures.remove(range);
                } else {
                    repairFailures.put(range, failure);
                }
                repaired++;
            }
            toCheck = differing;
        }
    }

    private static String summary(List<KeyRange> ranges) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(3, ranges.size()); i++) {
            shown.add(ranges.get(i).toString());
        }
        return String.join(", ", shown) + (ranges.size() > 3 ? " and " + (ranges.size() - 3) + " more" : "");
    }

    /** Compares the given ranges (all of the table when null) in the snapshots; returns those that differ. */
    private List<KeyRange> compare(Snapshots snapshots, List<KeyRange> ranges, AtomicLong rows) throws Exception {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>(Math.max(16, threads * 4));
        List<KeyRange> differing = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong done = new AtomicLong();
        long[] nextReport = {System.nanoTime() + PROGRESS_EVERY.toNanos()};
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            Connection connection = snapshots.get(i);
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        Object item = queue.take();
                        if (item == END_OF_RANGES) {
                            return;
                        }
                        KeyRange range = (KeyRange) item;
                        long[] originalSum = checksum(connection, sql.originalChecksum(range));
                        long[] ghostSum = checksum(connection, sql.ghostChecksum(range));
                        rows.addAndGet(originalSum[0]);
                        if (originalSum[0] != ghostSum[0] || originalSum[1] != ghostSum[1]) {
                            differing.add(range);
                        }
                        long finished = done.incrementAndGet();
                        synchronized (nextReport) {
                            if (System.nanoTime() > nextReport[0]) {
                                nextReport[0] = System.nanoTime() + PROGRESS_EVERY.toNanos();
                                log.info("Checksum: {} ranges, {} rows checked; Time: {}", finished, rows.get(),
                                        formatted(Duration.ofNanos(System.nanoTime() - started)));
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    queue.clear();
                }
            }, "ghost-checksum-" + original.name() + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            if (ranges != null) {
                for (KeyRange range : ranges) {
                    offer(queue, range, failure);
                }
            } else if (!sql.rangesComparable()) {
                offer(queue, KeyRange.WHOLE_TABLE, failure);
            } else {
                // The boundaries come from the original in the first snapshot, so that the ranges cover the same rows
                // in both tables; workers start on the first ranges while the walk goes on.
                Object[] from = null;
                while (failure.get() == null) {
                    stop.check();
                    Object[] to = boundaryAfter(snapshots.get(0), from);
                    offer(queue, new KeyRange(from, to), failure);
                    if (to == null) {
                        break;
                    }
                    from = to;
                }
            }
        } finally {
            for (int i = 0; i < workers.size(); i++) {
                queue.put(END_OF_RANGES);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        Throwable failed = failure.get();
        if (failed instanceof Exception e) {
            throw e;
        } else if (failed != null) {
            throw new IllegalStateException(failed);
        }
        return new ArrayList<>(differing);
    }

    private static void offer(BlockingQueue<Object> queue, KeyRange range, AtomicReference<Throwable> failure)
            throws InterruptedException {
        while (failure.get() == null) {
            if (queue.offer(range, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The key {@code rowsPerRange} rows after {@code from}, or null when fewer rows follow (the last range). */
    private Object[] boundaryAfter(Connection connection, Object[] from) throws SQLException {
        ChecksumSql.Statement query = sql.boundaryAfter(from, rowsPerRange - 1);
        return sql.originalKey().readFirstKey(connection, query.sql(), query.values());
    }

    /** The first row of a range that differs, in the snapshot: its key, and whether it is missing, extra or changed. */
    private String firstDifference(Connection connection, KeyRange range) throws SQLException {
        List<String[]> original = rowHashes(connection, sql.originalRowHashes(range));
        List<String[]> ghostRows = rowHashes(connection, sql.ghostRowHashes(range));
        Map<String, String> ghostByKey = new LinkedHashMap<>();
        ghostRows.forEach(row -> ghostByKey.put(row[0], row[1]));
        for (String[] row : original) {
            String ghostHash = ghostByKey.remove(row[0]);
            if (ghostHash == null) {
                return "first difference: the row with key (" + row[0] + ") is missing from " + ghost.quoted();
            }
            if (!ghostHash.equals(row[1])) {
                return "first difference: the row with key (" + row[0] + ") has other values in " + ghost.quoted();
            }
        }
        return ghostByKey.isEmpty() ? "no single row differs any more"
                : "first difference: " + ghost.quoted() + " has a row the original lacks, with key ("
                + ghostByKey.keySet().iterator().next() + ")";
    }

    private List<String[]> rowHashes(Connection connection, ChecksumSql.Statement query) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            KeyBounds.bind(statement, query.values());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new String[] {result.getString(1), result.getString(2)});
                }
            }
        }
        return rows;
    }

    private long[] checksum(Connection connection, ChecksumSql.Statement query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            KeyBounds.bind(statement, query.values());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return new long[] {result.getLong(1), result.getLong(2)};
            }
        }
    }


    /**
     * Copies a range again in one transaction: its ghost rows are deleted and the original's inserted, read with a
     * shared lock like the copy's. The replay goes on meanwhile and converges from this newer state as it does from
     * the copy's. Returns null when done, or why the rows could not go in (a duplicate on a unique key the original
     * does not enforce, in gh-ost's words).
     */
    private String repair(KeyRange range) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = connections.open()) {
                connection.setAutoCommit(false);
                try {
                    execute(connection, sql.deleteGhostRange(range));
                    execute(connection, sql.recopyRange(range));
                    connection.commit();
                    return null;
                } catch (SQLException e) {
                    connection.rollback();
                    if (e.getErrorCode() == 1062) {
                        return "Warning: " + e.getMessage();
                    }
                    if (!Sql.isRetryable(e) || attempt >= 10) {
                        throw e;
                    }
                }
            }
            Thread.sleep(10L * attempt);
        }
    }

    private void execute(Connection connection, ChecksumSql.Statement statement) throws SQLException {
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            KeyBounds.bind(prepared, statement.values());
            prepared.executeUpdate();
        }
    }

    private static String formatted(Duration elapsed) {
        return String.format(java.util.Locale.ROOT, "%.3fs", elapsed.toNanos() / 1e9);
    }

    /**
     * Connections whose consistent snapshots all see the original and the ghost at one point: opened first, then,
     * under a short read lock of the original, the replay catches up and every snapshot starts.
     */
    private static final class Snapshots implements AutoCloseable {
        private final List<Connection> connections = new ArrayList<>();

        static Snapshots open(ServerConnections server, TableName original, int count, Duration lockTimeout,
                              ReplayBarrier barrier, StopCheck stop) throws Exception {
            Snapshots snapshots = new Snapshots();
            try {
                for (int i = 0; i < count; i++) {
                    Connection connection = server.open();
                    snapshots.connections.add(connection);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    }
                }
                try (Connection lock = server.open(); Statement statement = lock.createStatement()) {
                    statement.execute("SET SESSION lock_wait_timeout = " + Math.max(1, lockTimeout.toSeconds()));
                    lockForRead(statement, original, stop);
                    try {
                        barrier.awaitApplied();
                        for (Connection connection : snapshots.connections) {
                            try (Statement start = connection.createStatement()) {
                                start.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                            }
                        }
                    } finally {
                        statement.execute("UNLOCK TABLES");
                    }
                }
                return snapshots;
            } catch (Exception | Error e) {
                snapshots.close();
                throw e;
            }
        }

        private static void lockForRead(Statement statement, TableName original, StopCheck stop)
                throws SQLException, InterruptedException {
            for (int attempt = 1; ; attempt++) {
                stop.check();
                try {
                    statement.execute("LOCK TABLES " + original.quoted() + " READ");
                    return;
                } catch (SQLException e) {
                    // A long transaction on the table holds the lock: wait for a quieter moment, as the cut-over does.
                    if (!Sql.isRetryable(e) || attempt >= LOCK_ATTEMPTS) {
                        throw e;
                    }
                    log.info("Checksum: could not lock {} for reading ({}); retrying", original.quoted(),
                            e.getMessage());
                    Thread.sleep(100L * attempt);
                }
            }
        }

        int size() {
            return connections.size();
        }

        Connection get(int index) {
            return connections.get(index);
        }

        @Override
        public void close() {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("closing a checksum connection: {}", e.getMessage());
                }
            }
        }
    }
}
