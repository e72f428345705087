package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * GTID positioning of the binlog reader (gh-ost's {@code --gtid}): whether the server can serve a stream by GTID,
 * and where by GTID it is now.
 *
 * <p>MySQL records GTIDs only with {@code gtid_mode=ON}; {@code ON_PERMISSIVE} still lets anonymous transactions in,
 * which a stream asked for by GTID refuses, and {@code enforce_gtid_consistency=ON} comes with {@code ON}. MariaDB
 * records a GTID for every transaction it binlogs; it has nothing to switch on. Its {@code gtid_binlog_pos} is empty
 * only until the first transaction is binlogged (a new server, or after {@code RESET MASTER}): that is no reason to
 * refuse, since the migration binlogs its own changelog and ghost tables before the stream starts, so the position
 * read then is never empty. Starting a MariaDB stream at an empty position would replay every binlog file the server
 * still has; {@link #currentPosition} therefore refuses one.
 */
public final class GtidPositioning {

    private GtidPositioning() {
    }

    /** The pre-flight check {@code gtid}, run only when the migration positions by GTID. */
    static void check(Connection connection, TableName table, boolean mariadb) throws SQLException {
        if (mariadb) {
            return;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@global.gtid_mode, @@global.enforce_gtid_consistency")) {
            rows.next();
            Optional<String> problem = mysqlProblem(rows.getString(1), rows.getString(2));
            if (problem.isPresent()) {
                throw new PreflightCheckException("gtid", table.toString(), "cannot migrate " + table.quoted()
                        + " with GTID positioning (--gtid, binlogPositioning(GTID)): " + problem.get()
                        + ". Run without --gtid to read the binlog by file and offset, or enable GTIDs on the server "
                        + "(gtid_mode=ON, enforce_gtid_consistency=ON)");
            }
        }
    }

    /** Why a MySQL server with these settings cannot stream by GTID, or empty when it can. */
    static Optional<String> mysqlProblem(String gtidMode, String enforceGtidConsistency) {
        String mode = String.valueOf(gtidMode).toUpperCase(Locale.ROOT);
        String enforce = String.valueOf(enforceGtidConsistency).toUpperCase(Locale.ROOT);
        if (!mode.equals("ON")) {
            return Optional.of("gtid_mode is " + gtidMode + ", ON is required"
                    + (mode.endsWith("PERMISSIVE") ? " (anonymous transactions may still be written)" : ""));
        }
        if (!enforce.equals("ON") && !enforce.equals("1")) {
            return Optional.of("enforce_gtid_consistency is " + enforceGtidConsistency + ", ON is required");
        }
        return Optional.empty();
    }

    /**
     * Where the stream starts by GTID: after every transaction of MySQL's {@code @@global.gtid_executed}, or after
     * MariaDB's {@code @@global.gtid_binlog_pos}. The position has no file: the server finds it.
     *
     * @throws IllegalStateException when the server has no GTID position (see the class comment)
     */
    public static BinlogPosition currentPosition(Connection connection) throws SQLException {
        boolean mariadb;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@version, @@version_comment")) {
            rows.next();
            mariadb = (rows.getString(1) + " " + rows.getString(2)).toLowerCase(Locale.ROOT).contains("mariadb");
        }
        String variable = mariadb ? "gtid_binlog_pos" : "gtid_executed";
        String gtids;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@global." + variable)) {
            rows.next();
            gtids = rows.getString(1) == null ? "" : rows.getString(1).replace("\n", "").trim();
        }
        if (gtids.isEmpty()) {
            throw new IllegalStateException("cannot start reading the binlog by GTID: @@global." + variable
                    + " is empty although the migration has just written its changelog table; is this database "
                    + "excluded from the binlog (binlog_ignore_db, binlog_do_db)? Run without --gtid to read the "
                    + "binlog by file and offset");
        }
        return new BinlogPosition(null, 0, gtids);
    }
}
