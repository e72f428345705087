package dev.ghost.internal.sql;

import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.internal.tls.JdbcTls;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;

/**
 * Opens connections to one server with the session every ghost component expects: UTC time zone (so TIMESTAMP
 * values travel unchanged), NO_AUTO_VALUE_ON_ZERO (so a row with id 0 is copied as 0, not as a new id), and zero
 * dates allowed (so stored zero dates and dates with zero parts are copied and replayed as they are).
 *
 * <p>Allowing zero dates is right for the copy and the replay, which only write values the server already stored.
 * It is not applied to the new table's definition: the ghost table is created and altered under the server's global
 * sql_mode unless the user allows zero dates (see the engine's ghost-table preparation), as gh-ost does, so that a
 * zero DEFAULT the server's rules forbid is refused rather than carried into the new table.
 */
public final class ServerConnections {

    /**
     * What a connection is for: it decides the connection's read timeout (see {@link ConnectionTimeouts}) and the
     * {@code program_name} connection attribute it shows in performance_schema.session_connect_attrs
     * ({@code ghost-heartbeat}, ...), so that an operator can tell ghost's connections apart.
     */
    public enum Role {
        /** Inspection, preparation, markers, checksum, index build, cut-over, clean-up: may run long; no read timeout. */
        GENERAL(Reads.UNBOUNDED),
        /** The changelog heartbeat: one short write every interval. */
        HEARTBEAT(Reads.SHORT),
        /** The throttle checks on the server ghost writes on (max-load, critical-load, throttle-query). */
        THROTTLE(Reads.SHORT),
        /** Holds the advisory lock that keeps a second migration of the table out; checked now and then. */
        MIGRATION_LOCK(Reads.SHORT),
        /** The row copy: chunk statements, which may wait for row locks. */
        COPY(Reads.BATCH),
        /** The binlog replay's workers: rounds of deletes and upserts, which may wait for row locks. */
        REPLAY(Reads.BATCH);

        private enum Reads { UNBOUNDED, SHORT, BATCH }

        private final Reads reads;

        Role(Reads reads) {
            this.reads = reads;
        }

        /** The read timeout of this role's connections; zero for none. */
        Duration readTimeout(ConnectionTimeouts timeouts) {
            return switch (reads) {
                case UNBOUNDED -> Duration.ZERO;
                case SHORT -> timeouts.read();
                case BATCH -> timeouts.batchRead();
            };
        }

        /** The connection attribute's value: {@code ghost-heartbeat}. */
        public String programName() {
            return "ghost-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The server's sql_mode without NO_ZERO_DATE and NO_ZERO_IN_DATE, plus NO_AUTO_VALUE_ON_ZERO. Ghost only writes
     * values the server stored already: with those two modes (and strict mode) a stored '2020-00-15' would fail the
     * replay, or be turned into '0000-00-00' by the copy's INSERT IGNORE.
     */
    private static final String SQL_MODE = "CONCAT_WS(',', NULLIF(TRIM(BOTH ',' FROM REPLACE(REPLACE("
            + "CONCAT(',', @@session.sql_mode, ','), ',NO_ZERO_IN_DATE,', ','), ',NO_ZERO_DATE,', ',')), ''), "
            + "'NO_AUTO_VALUE_ON_ZERO')";

    /**
     * {@link #SQL_MODE} plus STRICT_ALL_TABLES, gh-ost's applier mode unless --skip-strict-mode: a replayed value the
     * new column cannot hold fails the statement instead of being stored truncated, whatever the server's own mode.
     */
    private static final String STRICT_SQL_MODE = "CONCAT_WS(',', " + SQL_MODE + ", 'STRICT_ALL_TABLES')";

    /** Set at construction; changed once by {@link #redirect} when the server is found at run time. */
    private volatile ServerAddress server;
    private volatile String user;
    private volatile String password;
    private final String database;
    private volatile boolean redirected;
    private final ConnectionTimeouts timeouts;
    private final Tls tls;
    private final boolean strictMode;
    /** Connections that {@link #abortOpen} closes; weakly held, so that closed and forgotten ones go away. */
    private final Set<Connection> abortable =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** With the default timeouts. */
    public ServerConnections(ServerAddress server, String user, String password, String database) {
        this(server, user, password, database, ConnectionTimeouts.DEFAULTS);
    }

    /**
     * @param database the default database of every session, so that unqualified names in the user's ALTER and
     *                 throttle query resolve as they would for gh-ost; null for none
     * @param timeouts connect and read timeouts, per role, and the session wait_timeout
     */
    public ServerConnections(ServerAddress server, String user, String password, String database,
                             ConnectionTimeouts timeouts) {
        this(server, user, password, database, timeouts, Tls.preferred());
    }

    /** @param tls how every connection, to this server or the one it is redirected to, uses TLS */
    public ServerConnections(ServerAddress server, String user, String password, String database,
                             ConnectionTimeouts timeouts, Tls tls) {
        this(server, user, password, database, timeouts, tls, true);
    }

    /**
     * @param strictMode add STRICT_ALL_TABLES to every session's sql_mode (gh-ost's default); false keeps the
     *                   server's own strictness (--skip-strict-mode)
     */
    public ServerConnections(ServerAddress server, String user, String password, String database,
                             ConnectionTimeouts timeouts, Tls tls, boolean strictMode) {
        this.strictMode = strictMode;
        this.tls = tls;
        this.server = server;
        this.user = user;
        this.password = password;
        this.database = database;
        this.timeouts = timeouts;
    }

    /**
     * Points these connections at another server, once, before any is opened: the master that a migration reading
     * a replica writes on is found through the replica at run time (gh-ost's default topology).
     */
    public synchronized void redirect(ServerAddress to, String newUser, String newPassword) {
        if (redirected) {
            throw new IllegalStateException("connections to " + server + " were redirected already");
        }
        redirected = true;
        this.server = to;
        this.user = newUser;
        this.password = newPassword;
    }

    public ServerAddress server() {
        return server;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl() {
        // Client-side prepared statements: one round trip per statement, and literal rendering we rely on
        // (byte[] becomes _binary'...'). Local session state avoids a round trip per autocommit/isolation query.
        return "jdbc:mysql://" + server.host() + ":" + server.port() + "/"
                + (database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"))
                + "?allowPublicKeyRetrieval=true&characterEncoding=UTF-8&useServerPrepStmts=false"
                + "&useLocalSessionState=true&tcpKeepAlive=true"
                // Truncations stay warnings: the data-loss guard decides about them, in the copy and the replay alike.
                + "&jdbcCompliantTruncation=false";
    }

    public ConnectionTimeouts timeouts() {
        return timeouts;
    }

    /** The TLS settings of every connection opened here; the sslMode and key stores are in {@link #open}'s properties. */
    public Tls tls() {
        return tls;
    }

    /** A connection with ghost's session settings, for statements that may run long (no read timeout). */
    public Connection open() throws SQLException {
        return open(Role.GENERAL);
    }

    /**
     * Closes the socket of every connection opened here and still open, except the migration lock's: threads blocked
     * in a read on them wake with an error at once. A failed migration does this so that it stops within bounded
     * time even when the network went silent (a read with a long timeout, or none, would hold it). The lock is kept
     * until the migration has cleaned up, so that no second migration can start while this one drops its tables.
     */
    public void abortOpen() {
        List<Connection> current;
        synchronized (abortable) {
            current = new ArrayList<>(abortable);
            abortable.clear();
        }
        for (Connection connection : current) {
            try {
                connection.abort(ABORTER);
            } catch (SQLException | RuntimeException e) {
                // closed meanwhile, or the driver refused: nothing left to wake
            }
        }
    }

    /** Runs the driver's socket close on a thread of its own: it must never block the thread that aborts. */
    private static final Executor ABORTER = command -> {
        Thread thread = new Thread(command, "ghost-abort");
        thread.setDaemon(true);
        thread.start();
    };

    /** A connection with ghost's session settings and the timeouts of {@code role}. */
    public Connection open(Role role) throws SQLException {
        Properties properties;
        try {
            properties = JdbcTls.properties(tls);
        } catch (IllegalStateException e) {
            // A CA or key file that became unreadable since the settings were checked: a failed connection.
            throw new SQLException(e.getMessage(), "08001", e);
        }
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(timeouts.connect().toMillis()));
        // The handshake and the session's setup are bounded like the connect: a server that accepts the connection
        // and then says nothing (a silent network) must not hold the caller. The role's own read timeout follows.
        properties.setProperty("socketTimeout", Long.toString(timeouts.connect().toMillis()));
        properties.setProperty("connectionAttributes", "program_name:" + role.programName());
        Connection connection = DriverManager.getConnection(jdbcUrl(), properties);
        try (Statement statement = connection.createStatement()) {
            // max_error_count at its maximum: the data-loss guard must read every warning of a chunk or a replay
            // round (expected duplicates among them), and fails closed on those it cannot read; the default 64
            // stopped type-changing migrations under writes whose chunks met more duplicates than that.
            statement.execute("SET SESSION time_zone = '+00:00', max_error_count = 65535, sql_mode = "
                    + (strictMode ? STRICT_SQL_MODE : SQL_MODE)
                    + (timeouts.waitTimeout() == null ? "" : ", wait_timeout = " + timeouts.waitTimeout().toSeconds()));
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE,
                    role.readTimeout(timeouts).toMillis()));
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        if (role != Role.MIGRATION_LOCK) {
            abortable.add(connection);
        }
        return connection;
    }
}
