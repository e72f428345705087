package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The replication role of the server ghost writes on: whether it replicates from another, whether the topology
 * allows that, and stopping and starting its replication around a cut-over on a replica (gh-ost's
 * {@code --test-on-replica} and {@code --migrate-on-replica}).
 */
public final class Replication {

    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

    /** Where the migration writes, as far as replication is concerned. */
    public enum Mode {
        /** On a server that must not replicate from another (the master, or a lone server). */
        ON_MASTER,
        /** gh-ost's --test-on-replica: migrate on a replica, stop its replication, swap and swap back. */
        TEST_ON_REPLICA,
        /** gh-ost's --migrate-on-replica: migrate and cut over on a replica, then restart its replication. */
        MIGRATE_ON_REPLICA,
        /**
         * gh-ost's default: read the replica (its binlog, its view of the table) and write on its master. The
         * replica is checked as a replica; the master as a server that must not replicate.
         */
        VIA_REPLICA
    }

    private Replication() {
    }

    /** One replication channel of the server, as SHOW SLAVE STATUS lists it. */
    record Channel(String source, boolean sqlThreadRunning) {
    }

    /** The pre-flight check {@code replication}. */
    public static void check(Connection connection, TableName table, Mode mode, boolean mariadb) throws SQLException {
        check(connection, table, mode, mariadb, false);
    }

    /** @param allowMasterMaster on the master: it may replicate from another master (--allow-master-master) */
    public static void check(Connection connection, TableName table, Mode mode, boolean mariadb,
                             boolean allowMasterMaster) throws SQLException {
        String where = table.quoted();
        List<Channel> channels;
        try {
            channels = channels(connection, mariadb);
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_SPECIFIC_ACCESS_DENIED) {
                throw e;
            }
            if (mode != Mode.ON_MASTER) {
                throw refuse(table, "cannot migrate " + where + " on a replica: the user may not read its "
                        + "replication status (" + e.getMessage() + "); grant SLAVE MONITOR and REPLICATION SLAVE "
                        + "ADMIN (MariaDB) or REPLICATION CLIENT and REPLICATION_SLAVE_ADMIN (MySQL)");
            }
            // MariaDB wants SLAVE MONITOR for SHOW SLAVE STATUS, which a minimal user lacks; its status variable
            // still tells whether the default replication connection runs.
            if (slaveRunning(connection)) {
                throw refuse(table, "cannot migrate " + where + ": the server is a running replica "
                        + "(Slave_running=ON), and writing the ghost table on a replica would break its replication. "
                        + "Run ghost against the master, or use --test-on-replica / --migrate-on-replica");
            }
            log.warn("could not read the replication status of the server ({}); if it is a replica, run ghost "
                    + "against its master", e.getMessage());
            return;
        }
        if (mode == Mode.ON_MASTER) {
            if (!channels.isEmpty() && allowMasterMaster) {
                log.info("the server replicates from {}; as a master-master pair, allowed (--allow-master-master)",
                        channels.get(0).source());
                return;
            }
            if (!channels.isEmpty()) {
                throw refuse(table, "cannot migrate " + where + ": the server replicates from "
                        + channels.get(0).source() + ", and writing the ghost table on a replica would break its "
                        + "replication or be overwritten by it. Run ghost against the master, or, to try the "
                        + "migration on this replica, use testOnReplica (--test-on-replica) or migrateOnReplica "
                        + "(--migrate-on-replica); for a master-master pair, allowMasterMaster (--allow-master-master)");
            }
            return;
        }
        String flag = switch (mode) {
            case TEST_ON_REPLICA -> "--test-on-replica";
            case MIGRATE_ON_REPLICA -> "--migrate-on-replica";
            default -> "the replica topology (reading a replica, writing on its master)";
        };
        if (channels.isEmpty()) {
            throw refuse(table, "cannot migrate " + where + " with " + flag + ": the server does not replicate "
                    + "from a master (SHOW SLAVE STATUS is empty); point ghost at a replica, or run on the master "
                    + "without " + flag);
        }
        if (channels.size() > 1) {
            throw refuse(table, "cannot migrate " + where + " with " + flag + ": the server replicates from "
                    + channels.size() + " sources (multi-source replication), which ghost does not support");
        }
        if (!channels.get(0).sqlThreadRunning()) {
            throw refuse(table, "cannot migrate " + where + " with " + flag + ": the replica's SQL thread is not "
                    + "running, so the table is not following its master; START SLAVE first");
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@global.log_slave_updates")) {
            rows.next();
            String value = rows.getString(1);
            if (!"1".equals(value) && !"ON".equalsIgnoreCase(value)) {
                throw refuse(table, "cannot migrate " + where + " with " + flag + ": log_slave_updates is OFF on "
                        + "the replica, so the changes it replicates never reach its binary log and ghost would "
                        + "lose them; start the replica with --log-slave-updates");
            }
        }
    }

    private static boolean slaveRunning(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Slave_running'")) {
            return rows.next() && "ON".equalsIgnoreCase(rows.getString(2));
        }
    }

    private static PreflightCheckException refuse(TableName table, String message) {
        return new PreflightCheckException("replication", table.toString(), message);
    }

    /** The server's replication channels; empty when it replicates from nobody. */
    static List<Channel> channels(Connection connection, boolean mariadb) throws SQLException {
        List<Channel> channels = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = status(statement, mariadb)) {
            while (rows.next()) {
                Map<String, String> row = row(rows);
                String host = first(row, "source_host", "master_host");
                if (host == null || host.isEmpty()) {
                    continue; // a channel that was reset
                }
                channels.add(new Channel(host + ":" + first(row, "source_port", "master_port"),
                        "Yes".equalsIgnoreCase(first(row, "replica_sql_running", "slave_sql_running"))));
            }
        }
        return channels;
    }

    /** MariaDB lists every source with SHOW ALL SLAVES STATUS; MySQL 8.4 knows only SHOW REPLICA STATUS. */
    private static ResultSet status(Statement statement, boolean mariadb) throws SQLException {
        if (mariadb) {
            return statement.executeQuery("SHOW ALL SLAVES STATUS");
        }
        try {
            return statement.executeQuery("SHOW REPLICA STATUS");
        } catch (SQLSyntaxErrorException older) {
            return statement.executeQuery("SHOW SLAVE STATUS");
        }
    }

    private static Map<String, String> row(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        Map<String, String> row = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getString(i));
        }
        return row;
    }

    private static String first(Map<String, String> row, String name, String olderName) {
        return row.containsKey(name) ? row.get(name) : row.get(olderName);
    }

    /**
     * The master of the replica on {@code connection}, as its replication status names it, for a migration that
     * reads the replica and writes on the master.
     */
    public static dev.ghost.ServerAddress masterOf(Connection connection, boolean mariadb, TableName table)
            throws SQLException {
        List<Channel> channels = channels(connection, mariadb);
        if (channels.size() != 1) {
            throw refuse(table, "cannot find the master of " + table.quoted() + "'s server: it replicates from "
                    + channels.size() + " sources; name the master (master(...), --assume-master-host)");
        }
        String source = channels.get(0).source();
        int colon = source.lastIndexOf(':');
        return dev.ghost.ServerAddress.of(source.substring(0, colon), Integer.parseInt(source.substring(colon + 1)));
    }

    /**
     * Waits until the replica on {@code replica} has applied everything the master on {@code master} has logged so
     * far, so that what ghost just created on the master reaches the replica before ghost starts reading its binlog.
     */
    public static void awaitReplicaCaughtUp(Connection master, Connection replica, Duration timeout, TableName table)
            throws SQLException {
        String file;
        long position;
        try (Statement statement = master.createStatement();
             ResultSet rows = statement.executeQuery("SHOW MASTER STATUS")) {
            if (!rows.next()) {
                throw refuse(table, "the master of the replica ghost reads has its binary log off (SHOW MASTER "
                        + "STATUS is empty), so ghost cannot tell when the replica has caught up with it");
            }
            file = rows.getString(1);
            position = rows.getLong(2);
        }
        try (PreparedStatement statement = replica.prepareStatement("SELECT MASTER_POS_WAIT(?, ?, ?)")) {
            statement.setString(1, file);
            statement.setLong(2, position);
            statement.setLong(3, Math.max(1, timeout.toSeconds()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long waited = rows.getLong(1);
                if (rows.wasNull() || waited < 0) {
                    throw new SQLException("the replica did not reach the master's " + file + ":" + position
                            + " within " + timeout.toSeconds() + " s (its replication lags or stopped)");
                }
            }
        }
    }

    /**
     * gh-ost's --switch-to-rbr: when the replica's binlog_format is not ROW, sets it globally and restarts
     * replication, so that its SQL thread logs rows from now on. The setting stays.
     */
    public static void switchToRowFormat(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@global.binlog_format")) {
            rows.next();
            if ("ROW".equalsIgnoreCase(rows.getString(1))) {
                return;
            }
            log.warn("switching binlog_format from {} to ROW on the replica and restarting its replication "
                    + "(--switch-to-rbr); it stays ROW after the migration", rows.getString(1));
        }
        execute(connection, "SET GLOBAL binlog_format = 'ROW'");
        execute(connection, "STOP SLAVE");
        execute(connection, "START SLAVE");
    }

    /** Stops the replica's replication (both threads), so that the table stops changing for the cut-over. */
    public static void stop(Connection connection) throws SQLException {
        log.info("stopping replication on the replica for the cut-over");
        execute(connection, "STOP SLAVE");
    }

    /** Starts the replica's replication again. */
    public static void start(Connection connection) throws SQLException {
        log.info("starting replication on the replica again");
        execute(connection, "START SLAVE");
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLSyntaxErrorException removed) {
            // MySQL 8.4 dropped the SLAVE spelling.
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.replace("SLAVE", "REPLICA"));
            }
        }
    }
}
