package dev.ghost.examples.fuzz;

import dev.ghost.testing.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writer threads for a {@link FuzzCase}: random inserts, updates of non-key columns, deletes and key moves (an
 * UPDATE that gives a key column a new value), each its own autocommit statement, in random session time zones.
 * Each writer is bounded in statements and in time. Duplicate keys, deadlocks and lock waits are part of the load;
 * any other error means the generator wrote bad SQL, and is kept for the test to report.
 */
final class RandomWriters {

    /** The writers' session: strict, so that no value is silently changed. */
    static final String SQL_MODE = "STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION";
    static final String[] TIME_ZONES = {"'+00:00'", "'-08:00'", "'+05:45'", "'+13:00'"};
    private static final int DUPLICATE_KEY = 1062;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;

    private final TestDatabase db;
    private final FuzzCase fuzzCase;
    private final List<List<String>> keys;
    private final int maxStatements;
    private final long deadlineNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong inserts = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong keyMoves = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private volatile boolean stopping;

    private RandomWriters(TestDatabase db, FuzzCase fuzzCase, List<List<String>> initialKeys, int maxStatements,
                          long maxMillis) {
        this.db = db;
        this.fuzzCase = fuzzCase;
        this.keys = Collections.synchronizedList(new ArrayList<>(initialKeys));
        this.maxStatements = maxStatements;
        this.deadlineNanos = System.nanoTime() + maxMillis * 1_000_000L;
    }

    /**
     * Starts {@code count} writers, each with its own Random derived from the seed.
     *
     * @param initialKeys key values (literals, in key order) the table was filled with: writers update, delete and
     *                    move rows chosen among these and the ones they insert
     */
    static RandomWriters start(TestDatabase db, FuzzCase fuzzCase, List<List<String>> initialKeys, int count,
                               int maxStatements, long maxMillis) {
        RandomWriters writers = new RandomWriters(db, fuzzCase, initialKeys, maxStatements, maxMillis);
        for (int i = 0; i < count; i++) {
            Random random = new Random(fuzzCase.seed() * 31 + i + 7);
            Thread thread = new Thread(() -> writers.write(random), "fuzz-writer-" + i);
            thread.setDaemon(true);
            writers.threads.add(thread);
            thread.start();
        }
        return writers;
    }

    long statements() {
        return inserts.get() + updates.get() + deletes.get() + keyMoves.get();
    }

    boolean running() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    private void write(Random random) {
        FuzzTable table = fuzzCase.table();
        ValueGenerator values = fuzzCase.values();
        List<FuzzColumn> nonKey = table.nonKeyColumns();
        String name = Sql.quote(table.name());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION sql_mode = '" + SQL_MODE + "'");
            for (int n = 0; n < maxStatements && !stopping && System.nanoTime() < deadlineNanos; n++) {
                if (n % 20 == 0) {
                    statement.execute("SET SESSION time_zone = " + TIME_ZONES[random.nextInt(TIME_ZONES.length)]);
                }
                // A short pause between statements spreads the budget over the copy instead of before it.
                Thread.sleep(random.nextInt(3));
                int choice = random.nextInt(100);
                List<String> key = keys.get(random.nextInt(keys.size()));
                String sql;
                AtomicLong counter;
                List<String> newKey = null;
                if (choice < 35) {
                    List<String> row = fuzzCase.row(values, random);
                    sql = "INSERT INTO " + name + " VALUES (" + String.join(", ", row) + ")";
                    newKey = keyOf(row);
                    counter = inserts;
                } else if (choice < 65 && !nonKey.isEmpty()) {
                    StringBuilder set = new StringBuilder();
                    int columns = 1 + random.nextInt(Math.min(3, nonKey.size()));
                    for (int i = 0; i < columns; i++) {
                        FuzzColumn column = nonKey.get(random.nextInt(nonKey.size()));
                        set.append(i == 0 ? "" : ", ").append(Sql.quote(column.name())).append(" = ")
                                .append(values.value(column, random));
                    }
                    sql = "UPDATE " + name + " SET " + set + " WHERE " + match(key);
                    counter = updates;
                } else if (choice < 82) {
                    int moved = random.nextInt(table.keyColumns().size());
                    FuzzColumn column = table.keyColumnList().get(moved);
                    String value = values.keyValue(column, random);
                    sql = "UPDATE " + name + " SET " + Sql.quote(column.name()) + " = " + value + " WHERE "
                            + match(key);
                    newKey = new ArrayList<>(key);
                    newKey.set(moved, value);
                    counter = keyMoves;
                } else {
                    sql = "DELETE FROM " + name + " WHERE " + match(key);
                    counter = deletes;
                }
                try {
                    statement.executeUpdate(sql);
                    counter.incrementAndGet();
                    if (newKey != null) {
                        keys.add(newKey);
                    }
                } catch (SQLException e) {
                    int code = e.getErrorCode();
                    if (code == DUPLICATE_KEY || code == DEADLOCK || code == LOCK_WAIT_TIMEOUT) {
                        rejected.incrementAndGet();
                    } else {
                        unexpected.add(e.getErrorCode() + " " + e.getMessage() + " in: " + sql);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (!stopping) {
                unexpected.add(e.getErrorCode() + " " + e.getMessage());
            }
        }
    }

    List<String> keyOf(List<String> row) {
        List<String> key = new ArrayList<>();
        for (String column : fuzzCase.table().keyColumns()) {
            key.add(row.get(fuzzCase.table().columns().indexOf(fuzzCase.table().column(column).orElseThrow())));
        }
        return key;
    }

    private String match(List<String> key) {
        StringBuilder where = new StringBuilder();
        List<String> columns = fuzzCase.table().keyColumns();
        for (int i = 0; i < columns.size(); i++) {
            where.append(i == 0 ? "" : " AND ").append(Sql.quote(columns.get(i))).append(" = ").append(key.get(i));
        }
        return where.toString();
    }

    /** Stops the writers and waits for them. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    /** Errors that are not part of a realistic load: each one is a generator bug to fix. */
    List<String> unexpectedErrors() {
        return List.copyOf(unexpected);
    }

    String counts() {
        return "inserts=" + inserts + " updates=" + updates + " deletes=" + deletes + " keyMoves=" + keyMoves
                + " rejected=" + rejected;
    }
}
