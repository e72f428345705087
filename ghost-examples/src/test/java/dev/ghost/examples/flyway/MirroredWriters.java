package dev.ghost.examples.flyway;

import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriterThreads;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers on the example's {@code orders} table that make every change twice, in one transaction: on {@code orders}
 * and on a mirror that no migration touches. Whatever ghost does to {@code orders} meanwhile (copy, binlog replay,
 * cut-over), afterwards the migrated table must hold exactly the mirror's rows: the rows an untouched table would
 * hold after the same writes. A write that fails (duplicate key, deadlock, a lock wait at the cut-over) rolls back on
 * both tables.
 */
final class MirroredWriters implements AutoCloseable {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final TestDatabase db;
    private final String mirror;
    private final long maxId;
    private final WriterThreads threads = new WriterThreads("mirrored-writer-");
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();

    private MirroredWriters(TestDatabase db, String mirror, long maxId) {
        this.db = db;
        this.mirror = mirror;
        this.maxId = maxId;
    }

    /** Starts {@code writers} threads on rows with ids around 1..maxId. */
    static MirroredWriters start(TestDatabase db, String mirror, long maxId, int writers) {
        MirroredWriters load = new MirroredWriters(db, mirror, maxId);
        load.threads.start(writers, i -> load::write);
        return load;
    }

    private void write() {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!threads.stopping()) {
                try {
                    writeOnce(connection, random);
                    connection.commit();
                    committed.incrementAndGet();
                } catch (SQLException e) {
                    connection.rollback();
                    rolledBack.incrementAndGet();
                }
            }
        } catch (Throwable e) {
            threads.failed(e);
        }
    }

    private void writeOnce(Connection connection, ThreadLocalRandom random) throws SQLException {
        long id = 1 + random.nextLong(maxId);
        int choice = random.nextInt(100);
        if (choice < 30) {
            String customer = "new-" + random.nextInt() + (random.nextBoolean() ? " 🚀 ñ" : "");
            BigDecimal amount = random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextLong(1_000_000_000L), 4);
            String created = LocalDateTime.of(2025, 1, 1, 0, 0).plusNanos(random.nextLong(1L << 50) / 1000 * 1000)
                    .format(MICROS);
            byte[] payload = random.nextInt(4) == 0 ? null : bytes(random);
            int status = random.nextInt(256);
            long newId;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders "
                    + "(customer, amount, created, payload, status) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                bind(insert, customer, amount, created, payload, status);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    newId = keys.getLong(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + mirror
                    + " (customer, amount, created, payload, status, id) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(insert, customer, amount, created, payload, status);
                insert.setLong(6, newId);
                insert.executeUpdate();
            }
        } else if (choice < 65) {
            String customer = "upd-" + random.nextInt() + " ü";
            int status = random.nextInt(256);
            byte[] payload = random.nextInt(4) == 0 ? null : bytes(random);
            for (String table : List.of("orders", mirror)) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET customer = ?, status = ?, payload = ?, amount = amount + 1, "
                        + "created = created + INTERVAL 1 MICROSECOND WHERE id = ?")) {
                    update.setString(1, customer);
                    update.setInt(2, status);
                    update.setBytes(3, payload);
                    update.setLong(4, id);
                    update.executeUpdate();
                }
            }
        } else if (choice < 75) {
            long newId = maxId * 10 + random.nextLong(1_000_000);
            for (String table : List.of("orders", mirror)) {
                try (PreparedStatement move = connection.prepareStatement("UPDATE " + table
                        + " SET id = ? WHERE id = ?")) {
                    move.setLong(1, newId);
                    move.setLong(2, id);
                    move.executeUpdate();
                }
            }
        } else {
            for (String table : List.of("orders", mirror)) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                        + " WHERE id = ?")) {
                    delete.setLong(1, id);
                    delete.executeUpdate();
                }
            }
        }
    }

    private static void bind(PreparedStatement insert, String customer, BigDecimal amount, String created,
                             byte[] payload, int status) throws SQLException {
        insert.setString(1, customer);
        insert.setBigDecimal(2, amount);
        insert.setString(3, created);
        insert.setBytes(4, payload);
        insert.setInt(5, status);
    }

    private static byte[] bytes(ThreadLocalRandom random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Transactions committed on both tables so far. */
    long committed() {
        return committed.get();
    }

    /** Transactions rolled back on both tables (duplicate keys, deadlocks, lock waits). */
    long rolledBack() {
        return rolledBack.get();
    }

    /** Stops the writers and waits for them; throws if one died. */
    void stop() {
        threads.stopAndRethrow();
    }

    @Override
    public void close() {
        stop();
    }
}
