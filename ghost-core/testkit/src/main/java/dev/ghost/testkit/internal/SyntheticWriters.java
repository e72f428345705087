package dev.ghost.testkit.internal;

import dev.ghost.testing.ErrorTally;
import dev.ghost.testing.WriterThreads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Threads that write to one table as an application would while it is migrated: inserts, updates of a few non-key
 * columns of existing rows, and deletes, each in its own autocommit transaction, until {@link #stop()}. Rows are
 * found by sampling the table's keys now and then. Conflicts that a real load meets (duplicate keys, deadlocks, lock
 * waits, a CHECK or foreign key that the random values break) are counted; any other error stops the writer, and
 * {@link #stop()} reports it: it means the kit wrote a value the column does not take.
 */
public final class SyntheticWriters implements AutoCloseable {

    /** Duplicate key, record changed, lock wait timeout, deadlock, foreign keys, CHECK (MariaDB, MySQL). */
    private static final Set<Integer> CONFLICTS = Set.of(1062, 1020, 1205, 1213, 1451, 1452, 4025, 3819);
    private static final int SAMPLE_SIZE = 200;
    private static final int RESAMPLE_EVERY = 100;

    private final Connector connector;
    private final TableShape table;
    private final RowStatements statements;
    private final WriterThreads threads = new WriterThreads("ghost-testkit-writer-");
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final ErrorTally rejections = new ErrorTally();

    /** Opens a new connection to the table's schema. */
    @FunctionalInterface
    public interface Connector {
        /**
         * @return a new connection
         * @throws SQLException when none can be opened
         */
        Connection connect() throws SQLException;
    }

    private SyntheticWriters(Connector connector, TableShape table) {
        this.connector = connector;
        this.table = table;
        this.statements = new RowStatements(table);
    }

    /**
     * Starts writer threads.
     *
     * @param connector opens the writers' connections
     * @param table     the table to write to
     * @param writers   how many threads
     * @param randoms   gives each writer its source of values and choices, in order
     * @return the running writers
     * @throws IllegalArgumentException when a column without default has a type the kit cannot make values for
     */
    public static SyntheticWriters start(Connector connector, TableShape table, int writers,
                                         Supplier<Random> randoms) {
        SyntheticWriters load = new SyntheticWriters(connector, table);
        load.threads.start(writers, i -> {
            Random random = randoms.get();
            return () -> load.write(random);
        });
        return load;
    }

    private void write(Random random) {
        ValueGenerator values = new ValueGenerator(random);
        String lastSql = "";
        try (Connection connection = connector.connect();
             PreparedStatement insert = connection.prepareStatement(statements.insertSql(false))) {
            try (Statement session = connection.createStatement()) {
                // UTC, as ghost's own sessions: a generated local time never falls into a DST gap.
                session.execute("SET SESSION time_zone = '+00:00'");
            }
            List<List<String>> keys = List.of();
            for (long operation = 0; !threads.stopping(); operation++) {
                if (operation % RESAMPLE_EVERY == 0 && statements.hasRowKey()) {
                    lastSql = "sampling keys";
                    keys = statements.sampleKeys(connection, SAMPLE_SIZE);
                }
                int choice = random.nextInt(100);
                try {
                    int changed;
                    AtomicLong kind;
                    if (choice < 35 || keys.isEmpty()) {
                        lastSql = "INSERT";
                        statements.bindInsert(insert, values);
                        changed = insert.executeUpdate();
                        kind = inserts;
                    } else if (choice < 80) {
                        lastSql = "UPDATE";
                        changed = statements.update(connection, keys.get(random.nextInt(keys.size())), values, random);
                        kind = updates;
                    } else {
                        lastSql = "DELETE";
                        changed = statements.delete(connection, keys.get(random.nextInt(keys.size())));
                        kind = deletes;
                    }
                    if (changed > 0) {
                        committed.incrementAndGet();
                        kind.incrementAndGet();
                    }
                } catch (SQLException e) {
                    if (!CONFLICTS.contains(e.getErrorCode())) {
                        throw e;
                    }
                    rejections.count(e);
                }
            }
        } catch (Throwable e) {
            threads.failed(new IllegalStateException("a synthetic writer on " + table.quoted() + " failed in " + lastSql
                    + ": " + e.getMessage(), e));
        }
    }

    /**
     * Writes that changed a row.
     *
     * @return the count so far
     */
    public long committed() {
        return committed.get();
    }

    /**
     * The writes that changed a row, by kind.
     *
     * @return e.g. {@code "120 inserts, 150 updates, 60 deletes"}
     */
    public String committedByKind() {
        return inserts.get() + " inserts, " + updates.get() + " updates, " + deletes.get() + " deletes";
    }

    /**
     * Writes the server refused as conflicts (duplicate keys, deadlocks...).
     *
     * @return the count so far
     */
    public long rejected() {
        return rejections.total();
    }

    /**
     * The refused writes by error code, each with its count and the first message.
     *
     * @return error code to {@code "<count>x <first message>"}
     */
    public Map<Integer, String> rejectedByCode() {
        return rejections.byCode();
    }

    /** Stops the writers and waits for them. */
    public void stop() {
        threads.stop(Duration.ofSeconds(60));
    }

    /**
     * Why a writer stopped before {@link #stop()}.
     *
     * @return the failure, or null when every writer ran until stopped
     */
    public Throwable failure() {
        return threads.failure();
    }

    @Override
    public void close() {
        stop();
    }
}
