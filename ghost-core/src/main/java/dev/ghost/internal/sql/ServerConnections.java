package dev.ghost.internal.sql;

import dev.ghost.ServerAddress;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens connections to one server with the session every ghost component expects: UTC time zone (so TIMESTAMP
 * values travel unchanged) and NO_AUTO_VALUE_ON_ZERO (so a row with id 0 is copied as 0, not as a new id).
 */
public final class ServerConnections {

    private final ServerAddress server;
    private final String user;
    private final String password;

    public ServerConnections(ServerAddress server, String user, String password) {
        this.server = server;
        this.user = user;
        this.password = password;
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
                + "?allowPublicKeyRetrieval=true&characterEncoding=UTF-8&useServerPrepStmts=false"
                + "&useLocalSessionState=true&connectTimeout=10000&tcpKeepAlive=true&sslMode=PREFERRED";
    }

    /** A connection with ghost's session settings; {@code purpose} shows up in the processlist-friendly logs. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = DriverManager.getConnection(jdbcUrl(), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00', "
                    + "sql_mode = CONCAT_WS(',', NULLIF(@@session.sql_mode, ''), 'NO_AUTO_VALUE_ON_ZERO')");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
