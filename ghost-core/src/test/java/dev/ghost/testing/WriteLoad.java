package dev.ghost.testing;

import dev.ghost.internal.sql.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent writers on a {@link MixedTable}: inserts, updates (some of them moving the primary key) and deletes,
 * each in its own autocommit transaction, until {@link #stop()}. Duplicate-key and deadlock errors are part of a
 * realistic load and are counted, not fatal. A lost connection (a server restart, a KILL) is counted too, and the
 * writer reconnects, as an application would.
 */
public final class WriteLoad implements AutoCloseable {

    private final TestDatabase db;
    private final String table;
    private final long maxId;
    private final WriterThreads threads = new WriterThreads("write-load-");
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong keyMoves = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();
    /** Rejected writes and lost connections by the server's error code. */
    private final ErrorTally errors = new ErrorTally();

    private WriteLoad(TestDatabase db, String table, long maxId) {
        this.db = db;
        this.table = table;
        this.maxId = maxId;
    }

    /** Starts {@code writers} threads writing to rows with ids around 1..maxId. */
    public static WriteLoad start(TestDatabase db, String table, long maxId, int writers) {
        WriteLoad load = new WriteLoad(db, table, maxId);
        load.threads.start(writers, i -> load::write);
        return load;
    }

    private void write() {
        try {
            while (!threads.stopping()) {
                try {
                    writeOnOneConnection();
                } catch (SQLException e) {
                    // Connecting failed (the server is down or restarting): try again a moment later.
                    lostConnection(e);
                }
            }
        } catch (Throwable e) {
            if (!threads.stopping()) {
                threads.failed(e);
            }
        }
    }

    /** Writes until stopped or until the connection is lost (returns then, to be called again on a new one). */
    private void writeOnOneConnection() throws SQLException {
        String t = "`" + table + "`";
        try (Connection connection = db.connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + t
                     + " (name, note, amount, created, payload, flags) VALUES (?, ?, ?, NOW(6), ?, ?)");
             PreparedStatement update = connection.prepareStatement("UPDATE " + t
                     + " SET name = ?, note = ?, amount = amount + 1, created = created + INTERVAL 1 MICROSECOND, "
                     + "flags = (flags + 1) % 256 WHERE id = ?");
             PreparedStatement moveKey = connection.prepareStatement("UPDATE " + t
                     + " SET id = id + ? WHERE id = ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + t + " WHERE id = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!threads.stopping()) {
                long id = 1 + random.nextLong(maxId);
                int choice = random.nextInt(100);
                PreparedStatement statement;
                if (choice < 30) {
                    insert.setString(1, "ins-" + random.nextInt() + (random.nextBoolean() ? " 🚀" : ""));
                    insert.setString(2, random.nextInt(4) == 0 ? null : "inserted " + random.nextLong());
                    insert.setBigDecimal(3, random.nextBoolean() ? null
                            : java.math.BigDecimal.valueOf(random.nextLong(1_000_000_000L), 4));
                    byte[] payload = new byte[random.nextInt(64)];
                    random.nextBytes(payload);
                    insert.setBytes(4, random.nextInt(3) == 0 ? null : payload);
                    insert.setInt(5, random.nextInt(256));
                    statement = insert;
                } else if (choice < 65) {
                    update.setString(1, "upd-" + random.nextInt() + " ñ");
                    update.setString(2, random.nextInt(3) == 0 ? null : "updated");
                    update.setLong(3, id);
                    statement = update;
                } else if (choice < 75) {
                    moveKey.setLong(1, maxId * 10 + random.nextLong(1_000_000));
                    moveKey.setLong(2, id);
                    statement = moveKey;
                } else {
                    delete.setLong(1, id);
                    statement = delete;
                }
                try {
                    if (statement.executeUpdate() > 0) {
                        committed.incrementAndGet();
                        if (statement == moveKey) {
                            keyMoves.incrementAndGet();
                        }
                    }
                } catch (SQLException e) {
                    if (isConnectionLost(connection, e)) {
                        lostConnection(e);
                        return; // a new connection, as an application's pool would hand out
                    }
                    rejected.incrementAndGet(); // duplicate keys, deadlocks, lock waits during the cut-over
                    errors.count(e);
                }
            }
        }
    }

    /**
     * A server restart, a KILL of the writer's session or a network fault, as ghost itself judges it
     * ({@link Sql#isConnectionLost}), or a session the driver has closed.
     */
    private static boolean isConnectionLost(Connection connection, SQLException e) {
        if (Sql.isConnectionLost(e)) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    /**
     * Counted apart (and under its error code, so that a test that expects none sees it), then a pause before the
     * next connect so that a server that is down is not hammered.
     */
    private void lostConnection(SQLException e) {
        connectionsLost.incrementAndGet();
        errors.count(e);
        try {
            Thread.sleep(50);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            threads.askToStop();
        }
    }

    /**
     * Connections lost (a write or a connect failed because the server went away or the session was killed); each
     * writer reconnects and writes on.
     */
    public long connectionsLost() {
        return connectionsLost.get();
    }

    /** Writes that changed a row so far. */
    public long committed() {
        return committed.get();
    }

    /** Updates that moved a row to a new primary key. */
    public long keyMoves() {
        return keyMoves.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /**
     * The rejected writes by the server's error code (1062 duplicate key, 1213 deadlock, 1205 lock wait timeout,
     * 1146 table doesn't exist, 0 for a client-side failure), each with its count and the first message seen.
     */
    public Map<Integer, String> rejectedByCode() {
        return errors.byCode();
    }

    /** Stops the writers and waits for them; throws if a writer died. */
    public void stop() {
        threads.stopAndRethrow();
    }

    @Override
    public void close() {
        stop();
    }
}
