package dev.ghost.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica of a {@link TestServer}: a second server of the same kind with its own server id, {@code
 * log_slave_updates} and ROW binlog, replicating classically (file and position) from the master's position at start.
 * Schemas created on the master afterwards reach it. Stop it with {@link #close()}.
 */
public final class ReplicaServer implements AutoCloseable {

    private static final AtomicInteger SERVER_IDS = new AtomicInteger(100);

    private final TestServer master;
    private final TestServer replica;

    private ReplicaServer(TestServer master, TestServer replica) {
        this.master = master;
        this.replica = replica;
    }

    /** Starts a replica of {@code master}; external servers cannot be given one. */
    public static ReplicaServer start(TestServer master) {
        if (master.kind() == TestServer.Kind.EXTERNAL) {
            throw new IllegalStateException("an external test server cannot be given a replica");
        }
        TestServer replica = TestServer.start(master.kind(), List.of("--server-id=" + SERVER_IDS.incrementAndGet(),
                "--log-slave-updates=ON", "--skip-slave-start"));
        try {
            String[] position = masterPosition(master);
            try (Connection connection = replica.connect(null); Statement statement = connection.createStatement()) {
                statement.execute("CHANGE MASTER TO MASTER_HOST='" + master.host() + "', MASTER_PORT=" + master.port()
                        + ", MASTER_USER='" + master.user() + "', MASTER_PASSWORD='" + master.password()
                            + "', MASTER_LOG_FILE='" + position[0] + "', MASTER_LOG_POS=" + position[1]
                        // The test servers run without TLS; MariaDB 11.4's replicas ask for it by default.
                        + ", MASTER_USE_GTID=no, MASTER_SSL=0");
                statement.execute("START SLAVE");
            }
            ReplicaServer pair = new ReplicaServer(master, replica);
            pair.awaitCaughtUp();
            return pair;
        } catch (SQLException | RuntimeException e) {
            replica.close();
            throw new IllegalStateException("could not set up replication: " + e.getMessage(), e);
        }
    }

    /**
     * A replica of the JVM's shared test server, for a test class (start it in {@code @BeforeAll}, close it in
     * {@code @AfterAll}); the class is skipped where the shared server is an external one.
     */
    public static ReplicaServer ofSharedServer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServer.shared().kind() != TestServer.Kind.EXTERNAL,
                "a replica needs a server the tests start");
        return start(TestServer.shared());
    }

    public TestServer replica() {
        return replica;
    }

    public TestServer master() {
        return master;
    }

    /** Waits until the replica has applied everything the master has logged so far (at most a minute). */
    public void awaitCaughtUp() {
        try (Connection connection = replica.connect(null); Statement statement = connection.createStatement()) {
            String[] position = masterPosition(master);
            try (ResultSet rows = statement.executeQuery("SELECT MASTER_POS_WAIT('" + position[0] + "', "
                    + position[1] + ", 60)")) {
                rows.next();
                if (rows.getObject(1) == null || rows.getLong(1) < 0) {
                    throw new IllegalStateException("the replica did not catch up with " + position[0] + ":"
                            + position[1] + " (replication stopped or lagging): " + status() + " " + lastErrors());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The replication status once both threads run, or what it is after {@code patience} (a START SLAVE takes a
     * moment to connect: the IO thread reports Connecting or Preparing meanwhile).
     */
    public String awaitRunning(java.time.Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String status = status();
        while (!"Yes/Yes".equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = status();
        }
        return status;
    }

    /** Runs statements on the replica, e.g. {@code START SLAVE}. */
    public void execute(String... statements) {
        try (Connection connection = replica.connect(null); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Slave_IO_Running/Slave_SQL_Running}, e.g. {@code Yes/No}. */
    public String status() {
        try (Connection connection = replica.connect(null); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW SLAVE STATUS")) {
            return rows.next() ? rows.getString("Slave_IO_Running") + "/" + rows.getString("Slave_SQL_Running")
                    : "not a replica";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String lastErrors() {
        try (Connection connection = replica.connect(null); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW SLAVE STATUS")) {
            return rows.next() ? "IO: " + rows.getString("Last_IO_Error") + "; SQL: " + rows.getString("Last_SQL_Error")
                    : "";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** The same schema as {@code db}, on the replica. */
    public TestDatabase database(TestDatabase db) {
        return new TestDatabase(replica, db.name());
    }

    private static String[] masterPosition(TestServer master) throws SQLException {
        try (Connection connection = master.connect(null); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW MASTER STATUS")) {
            rows.next();
            return new String[] {rows.getString(1), Long.toString(rows.getLong(2))};
        }
    }

    @Override
    public void close() {
        try {
            execute("STOP SLAVE");
        } catch (RuntimeException ignored) {
            // stopping the server ends replication anyway
        }
        replica.close();
    }
}
