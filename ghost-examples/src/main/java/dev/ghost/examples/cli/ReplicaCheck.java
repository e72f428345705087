package dev.ghost.examples.cli;

import dev.ghost.Tls;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * Tells whether the server replicates from another one. gh-ost expects to be pointed at a replica; ghost runs on the
 * master only, so the command line checks this itself before the engine starts.
 */
final class ReplicaCheck {

    private ReplicaCheck() {
    }

    /** The server this one replicates from ({@code host:port}), or empty when it is not a replica. */
    static Optional<String> replicationSource(String host, int port, String user, String password, Tls tls)
            throws SQLException {
        Properties properties;
        try {
            properties = tls.jdbcProperties(); // as the migration's own connections will
        } catch (IllegalStateException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "10000");
        properties.setProperty("socketTimeout", "30000"); // one status query: no answer in 30 s is a lost server
        String url = "jdbc:mysql://" + host + ":" + port + "/?allowPublicKeyRetrieval=true";
        try (Connection connection = DriverManager.getConnection(url, properties);
             Statement statement = connection.createStatement()) {
            try (ResultSet status = replicaStatus(statement)) {
                if (!status.next()) {
                    return Optional.empty();
                }
                return Optional.of(column(status, "Source_Host", "Master_Host") + ":"
                        + column(status, "Source_Port", "Master_Port"));
            }
        }
    }

    /** {@code SHOW SLAVE STATUS} is gone from MySQL 8.4; {@code SHOW REPLICA STATUS} is missing before 8.0.22. */
    private static ResultSet replicaStatus(Statement statement) throws SQLException {
        try {
            return statement.executeQuery("SHOW SLAVE STATUS");
        } catch (SQLSyntaxErrorException removed) {
            return statement.executeQuery("SHOW REPLICA STATUS");
        }
    }

    private static String column(ResultSet row, String name, String olderName) throws SQLException {
        try {
            return row.getString(name);
        } catch (SQLException notThere) {
            return row.getString(olderName);
        }
    }
}
