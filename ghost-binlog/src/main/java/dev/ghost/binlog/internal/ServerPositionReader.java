package dev.ghost.binlog.internal;

import dev.ghost.BinlogStreamException;
import dev.ghost.Tls;
import dev.ghost.spi.BinlogPosition;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

// Reads the server's current binlog position (file, offset, executed GTIDs) over JDBC.
final class ServerPositionReader {

    /** MySQL 8.4 removed SHOW MASTER STATUS; MariaDB 11.4 knows both. */
    private static final String[] STATUS_QUERIES = {"SHOW BINARY LOG STATUS", "SHOW MASTER STATUS"};

    private ServerPositionReader() {
    }

    static BinlogPosition currentPosition(String host, int port, String user, String password, Tls tls,
                                          Duration timeout) {
        Properties properties = tls.jdbcProperties(); // the migration's TLS settings, as on every other connection
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
        // One short status query: an answer that does not come within the timeout is a lost connection.
        properties.setProperty("socketTimeout", Long.toString(timeout.toMillis()));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("allowPublicKeyRetrieval", "true");
        String url = "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            return currentPosition(connection);
        } catch (SQLException e) {
            if (BinlogFailures.classify(e, host + ":" + port, user, "the current position")
                    instanceof BinlogStreamException typed) {
                throw typed;
            }
            throw new IllegalStateException("could not read the binlog position of " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    static BinlogPosition currentPosition(Connection connection) throws SQLException {
        SQLException newNameFailure = null;
        for (String query : STATUS_QUERIES) {
            try (Statement statement = connection.createStatement(); ResultSet status = statement.executeQuery(query)) {
                if (!status.next()) {
                    throw BinlogFailures.binlogOff("the server (" + query + " returned nothing)");
                }
                requireRowFormat(connection);
                String gtids = executedGtids(connection, status, status.getString(1), status.getLong(2));
                return new BinlogPosition(status.getString(1), status.getLong(2),
                        gtids == null || gtids.isBlank() ? null : gtids.replace("\n", ""));
            } catch (SQLException e) {
                if (newNameFailure != null) {
                    e.addSuppressed(newNameFailure);
                    throw e;
                }
                newNameFailure = e;
            }
        }
        throw newNameFailure; // unreachable: the last query either returns or throws
    }

    /** A stream of statements has no row images to replay; the engine's checks say so too, this is for other callers. */
    private static void requireRowFormat(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet format = statement.executeQuery("SELECT @@global.binlog_format")) {
            if (format.next() && !"ROW".equalsIgnoreCase(format.getString(1))) {
                throw BinlogFailures.notRowFormat("the server", format.getString(1));
            }
        }
    }

    /**
     * MySQL lists them in the status (Executed_Gtid_Set); MariaDB computes the GTID position of exactly that file and
     * offset (@@gtid_binlog_pos, read apart, could already include a transaction committed after them).
     */
    private static String executedGtids(Connection connection, ResultSet status, String file, long offset)
            throws SQLException {
        ResultSetMetaData columns = status.getMetaData();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            if ("Executed_Gtid_Set".equalsIgnoreCase(columns.getColumnLabel(i))) {
                return status.getString(i);
            }
        }
        try (var statement = connection.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            statement.setString(1, file);
            statement.setLong(2, offset);
            try (ResultSet mariaDbGtid = statement.executeQuery()) {
                return mariaDbGtid.next() ? mariaDbGtid.getString(1) : null;
            }
        } catch (SQLException notMariaDb) {
            return null;
        }
    }
}
