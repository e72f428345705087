package dev.ghost.internal.throttle;

import dev.ghost.MigrationFailedException;
import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.internal.tls.JdbcTls;
import dev.ghost.internal.tls.TlsFailures;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * gh-ost's {@code --throttle-control-replicas} with {@code --max-lag-millis}: throttles while the worst lag of the
 * given replicas exceeds the limit. Each replica's lag is the age of the changelog heartbeat it has applied (written
 * on the master every heartbeat interval, so the age is the replication delay plus at most one interval); before the
 * changelog reached it, {@code Seconds_Behind_Master}. A replica that cannot be read, or whose replication is not
 * running, throttles: a lag nobody can measure must not let the copy run on (fail closed). The reason names the
 * replica and why ({@code replica db2:3306 lag unknown: Communications link failure}); its connection is reopened
 * at the next check (every 250 ms, each attempt bounded by short connect and read timeouts). A replica that stays
 * unreadable for {@link #DEFAULT_UNREADABLE_LIMIT} fails the migration: a copy held that long by a replica nobody
 * can read is better stopped, with the reason, than left throttled with no end.
 */
public final class ReplicaLagPolicy implements ThrottlePolicy, AutoCloseable {

    private static final int ER_NO_SUCH_TABLE = 1146;
    /** How long a control replica may stay unreadable before the migration fails (a restart fits well within it). */
    public static final Duration DEFAULT_UNREADABLE_LIMIT = Duration.ofMinutes(5);

    private final List<ServerAddress> replicas;
    private final String user;
    private final String password;
    private final Tls tls;
    private final TableName changelog;
    private final Supplier<Duration> limit;
    private final Map<ServerAddress, Connection> connections = new LinkedHashMap<>();
    private volatile Map<ServerAddress, Duration> lastLags = Map.of();
    private final Duration unreadableLimit;
    /** When each replica that cannot be read now was first found so (System.nanoTime()). */
    private final Map<ServerAddress, Long> unreadableSince = new LinkedHashMap<>();

    /**
     * @param limit the lag limit, read at every check (it may change while the migration runs); null: no limit
     */
    public ReplicaLagPolicy(List<ServerAddress> replicas, String user, String password, TableName changelog,
                            Supplier<Duration> limit) {
        this(replicas, user, password, Tls.preferred(), changelog, limit, DEFAULT_UNREADABLE_LIMIT);
    }

    /** @param tls how the replicas are connected to: as the migration's other servers */
    public ReplicaLagPolicy(List<ServerAddress> replicas, String user, String password, Tls tls, TableName changelog,
                            Supplier<Duration> limit) {
        this(replicas, user, password, tls, changelog, limit, DEFAULT_UNREADABLE_LIMIT);
    }

    /** @param unreadableLimit how long a replica may stay unreadable before the migration fails */
    public ReplicaLagPolicy(List<ServerAddress> replicas, String user, String password, TableName changelog,
                            Supplier<Duration> limit, Duration unreadableLimit) {
        this(replicas, user, password, Tls.preferred(), changelog, limit, unreadableLimit);
    }

    private ReplicaLagPolicy(List<ServerAddress> replicas, String user, String password, Tls tls,
                             TableName changelog, Supplier<Duration> limit, Duration unreadableLimit) {
        this.tls = tls;
        this.unreadableLimit = unreadableLimit;
        this.replicas = List.copyOf(replicas);
        this.user = user;
        this.password = password;
        this.changelog = changelog;
        this.limit = limit;
    }

    @Override
    public String name() {
        return "max-lag";
    }

    @Override
    public long checkIntervalMillis() {
        return 250;
    }

    /** The replicas' lags at the last check, for the status line. */
    public Map<ServerAddress, Duration> lags() {
        return lastLags;
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) {
        Duration max = limit.get();
        Map<ServerAddress, Duration> lags = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        for (ServerAddress replica : replicas) {
            try {
                Duration lag = lag(replica);
                unreadableSince.remove(replica);
                lags.put(replica, lag);
                if (max != null && lag.compareTo(max) > 0) {
                    reasons.add(String.format(Locale.ROOT, "replica %s lag=%.3fs > max-lag-millis=%d", replica,
                            lag.toMillis() / 1000.0, max.toMillis()));
                }
            } catch (SQLException | IllegalStateException e) {
                String why = TlsFailures.explain(e, tls, replica.toString()).orElse(e.getMessage());
                forget(replica);
                long now = System.nanoTime();
                long since = unreadableSince.computeIfAbsent(replica, r -> now);
                if (now - since >= unreadableLimit.toNanos()) {
                    throw new MigrationFailedException("the control replica " + replica + " could not be read for "
                            + unreadableLimit.toSeconds() + " s (the copy was throttled all that time): "
                            + why + ". The migration stopped before its cut-over; the original table is "
                            + "untouched. Fix the replica or leave it out of --throttle-control-replicas, and run "
                            + "the migration again", e, List.of());
                }
                reasons.add("replica " + replica + " lag unknown: " + why);
            }
        }
        lastLags = Map.copyOf(lags);
        return reasons.isEmpty() ? ThrottleDecision.proceed() : ThrottleDecision.throttle(String.join("; ", reasons));
    }

    private Duration lag(ServerAddress replica) throws SQLException {
        Connection connection = connection(replica);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT value FROM " + changelog.quoted()
                    + " WHERE hint = 'heartbeat'")) {
                if (rows.next()) {
                    long written = Long.parseLong(rows.getString(1));
                    return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - written));
                }
            } catch (SQLException notYetThere) {
                if (notYetThere.getErrorCode() != ER_NO_SUCH_TABLE) {
                    throw notYetThere;
                }
            }
            return secondsBehindMaster(statement, replica);
        }
    }

    private static Duration secondsBehindMaster(Statement statement, ServerAddress replica) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SHOW SLAVE STATUS")) {
            if (!rows.next()) {
                throw new IllegalStateException("it is not a replica");
            }
            long seconds = rows.getLong("Seconds_Behind_Master");
            if (rows.wasNull()) {
                throw new IllegalStateException("its replication is not running");
            }
            return Duration.ofSeconds(seconds);
        }
    }

    private Connection connection(ServerAddress replica) throws SQLException {
        Connection connection = connections.get(replica);
        if (connection == null || !connection.isValid(1)) {
            forget(replica);
            Properties properties;
            try {
                properties = JdbcTls.properties(tls);
            } catch (IllegalStateException e) {
                throw new SQLException(e.getMessage(), "08001", e);
            }
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            // Short on purpose, and below ghost's own defaults: a check runs every 250 ms on the throttle's thread,
            // and a replica that takes longer than this to answer is as good as lagging.
            properties.setProperty("connectTimeout", "2000");
            properties.setProperty("socketTimeout", "5000");
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("connectionAttributes", "program_name:ghost-control-replica");
            connection = DriverManager.getConnection("jdbc:mysql://" + replica.host() + ":" + replica.port()
                    + "/?allowPublicKeyRetrieval=true", properties);
            connections.put(replica, connection);
        }
        return connection;
    }

    private void forget(ServerAddress replica) {
        Connection connection = connections.remove(replica);
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced or dropped anyway
            }
        }
    }

    @Override
    public void close() {
        new ArrayList<>(connections.keySet()).forEach(this::forget);
    }
}
