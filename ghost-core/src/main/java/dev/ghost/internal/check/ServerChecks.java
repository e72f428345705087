package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The binlog must be on, in ROW format with full row images: the replay needs every column of every change. */
public final class ServerChecks {

    private ServerChecks() {
    }

    /** What the server says about itself. */
    public record ServerInfo(String version, String versionComment, boolean mariadb) {
    }

    /** The server's version, without checking its binlog. */
    public static ServerInfo info(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@version, @@version_comment")) {
            rows.next();
            return new ServerInfo(rows.getString(1), rows.getString(2),
                    (rows.getString(1) + " " + rows.getString(2)).toLowerCase().contains("mariadb"));
        }
    }

    public static ServerInfo verifyBinlog(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@global.log_bin, @@global.binlog_format, "
                     + "@@global.binlog_row_image, @@version, @@version_comment")) {
            rows.next();
            String version = rows.getString(4);
            String comment = rows.getString(5);
            ServerInfo info = new ServerInfo(version, comment,
                    (version + " " + comment).toLowerCase().contains("mariadb"));
            if (!"1".equals(rows.getString(1)) && !"ON".equalsIgnoreCase(rows.getString(1))) {
                throw new PreflightCheckException("binlog", table.toString(), "cannot migrate " + table
                        + ": the binary log is off on " + version + " (log_bin=0); ghost replays changes from it. "
                        + "Start the server with --log-bin and --binlog-format=ROW");
            }
            if (!"ROW".equalsIgnoreCase(rows.getString(2))) {
                throw new PreflightCheckException("binlog", table.toString(), "cannot migrate " + table
                        + ": binlog_format is " + rows.getString(2) + ", ROW is required. "
                        + "Run SET GLOBAL binlog_format='ROW' (and restart replication on replicas), "
                        + "or start the server with --binlog-format=ROW");
            }
            if (!"FULL".equalsIgnoreCase(rows.getString(3))) {
                throw new PreflightCheckException("binlog", table.toString(), "cannot migrate " + table
                        + ": binlog_row_image is " + rows.getString(3) + ", FULL is required. "
                        + "Run SET GLOBAL binlog_row_image='FULL' or start the server with --binlog-row-image=FULL");
            }
            return info;
        }
    }
}
