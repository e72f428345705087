package dev.ghost.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong keyMoves = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();
    /** Rejected writes by the server's error code, with the first message seen for each. */
    private final Map<Integer, AtomicLong> rejectedByCode = new ConcurrentHashMap<>();
    private final Map<Integer, String> firstMessageByCode = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile Throwable failure;

    private WriteLoad(TestDatabase db, String table, long maxId) {
        this.db = db;
        this.table = table;
        this.maxId = maxId;
    }

    /** Starts {@code writers} threads writing to rows with ids around 1..maxId. */
    public static WriteLoad start(TestDatabase db, String table, long maxId, int writers) {
        WriteLoad load = new WriteLoad(db, table, maxId);
        for (int i = 0; i < writers; i++) {
            Thread thread = new Thread(load::write, "write-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void write() {
        try {
            while (!stopping) {
                try {
                    writeOnOneConnection();
                } catch (SQLException e) {
                    // Connecting failed (the server is down or restarting): try again a moment later.
                    lostConnection(e);
                }
            }
        } catch (Throwable e) {
            if (!stopping) {
                failure = e;
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
            while (!stopping) {
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
                    rejectedByCode.computeIfAbsent(e.getErrorCode(), code -> new AtomicLong()).incrementAndGet();
                    firstMessageByCode.putIfAbsent(e.getErrorCode(), String.valueOf(e.getMessage()));
                }
            }
        }
    }

    /**
     * A server restart, a KILL of the writer's session or a network fault: SQLSTATE class 08 (connection exception),
     * or a session the driver has closed. The server's "shutdown in progress" (1053) and "connection was killed"
     * (1927) come before the connection closes.
     */
    private static boolean isConnectionLost(Connection connection, SQLException e) {
        String state = e.getSQLState();
        if ((state != null && state.startsWith("08")) || e.getErrorCode() == 1053 || e.getErrorCode() == 1927) {
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
        rejectedByCode.computeIfAbsent(e.getErrorCode(), code -> new AtomicLong()).incrementAndGet();
        firstMessageByCode.putIfAbsent(e.getErrorCode(), String.valueOf(e.getMessage()));
        try {
            Thread.sleep(50);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            stopping = true;
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
        Map<Integer, String> byCode = new TreeMap<>();
        rejectedByCode.forEach((code, count) -> byCode.put(code, count.get() + "x " + firstMessageByCode.get(code)));
        return byCode;
    }

    /** Stops the writers and waits for them; throws if a writer died. */
    public void stop() {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw new IllegalStateException("a writer failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
