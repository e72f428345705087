package dev.ghost.flyway;

import dev.ghost.GhostException;
import dev.ghost.internal.sql.JdbcUrl;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.UnaryOperator;

/** Finds {@link GhostLogin#from(Context)}'s values: ghost's properties, then Flyway's configuration and connection. */
final class LoginResolver {

    private LoginResolver() {
    }

    /**
     * What Flyway knows: its configured url, user and password (each may be null), its open connection, and whether
     * a null password is known to be empty (Flyway configured with a url and no password) or is just not known (a
     * DataSource that does not tell it).
     */
    record FlywaySide(String url, String user, String password, Connection connection, boolean passwordKnown) {

        /** Flyway's own settings: with a url, a missing password is an empty one. */
        FlywaySide(String url, String user, String password, Connection connection) {
            this(url, user, password, connection, url != null);
        }

        /**
         * Flyway's url, user and password; when Flyway was given a DataSource instead (as Spring Boot does), those
         * its DataSource was configured with, where it tells them.
         */
        static FlywaySide of(Context context) {
            Configuration configuration = context.getConfiguration();
            String url = blankToNull(configuration.getUrl());
            if (url != null) {
                return new FlywaySide(url, blankToNull(configuration.getUser()), configuration.getPassword(),
                        context.getConnection());
            }
            DataSourceProperties dataSource = DataSourceProperties.of(configuration.getDataSource());
            return new FlywaySide(dataSource.url(), dataSource.user(), dataSource.password(),
                    context.getConnection(), dataSource.password() != null);
        }
    }

    static GhostLogin resolve(Context context, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return resolve(FlywaySide.of(context), properties, environment);
    }

    static GhostLogin resolve(FlywaySide flyway, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String url = setting(properties, GhostLogin.URL_PROPERTY, environment, GhostLogin.URL_VARIABLE);
        String urlSource = url != null ? "-D" + GhostLogin.URL_PROPERTY + " / " + GhostLogin.URL_VARIABLE : null;
        if (url == null && flyway.url() != null) {
            url = flyway.url();
            urlSource = "Flyway's url";
        }
        if (url == null) {
            url = connectionUrl(flyway.connection());
            urlSource = "the URL of Flyway's connection";
        }
        JdbcUrl parsed = parseUrl(url, urlSource);

        String user = setting(properties, GhostLogin.USER_PROPERTY, environment, GhostLogin.USER_VARIABLE);
        if (user == null) {
            user = flyway.user() != null ? flyway.user()
                    : parsed.property("user") != null ? parsed.property("user") : connectionUser(flyway.connection());
        }

        String password = setting(properties, GhostLogin.PASSWORD_PROPERTY, environment, GhostLogin.PASSWORD_VARIABLE);
        if (password == null) {
            if (!flyway.passwordKnown() && parsed.property("password") == null) {
                // Flyway was given a DataSource that does not tell its password (a connection never does).
                throw new GhostException("ghost needs the password of " + user + " to connect to " + parsed.server()
                        + " on connections of its own, and Flyway was given a DataSource that does not tell it: set "
                        + "the system property " + GhostLogin.PASSWORD_PROPERTY + " or the environment variable "
                        + GhostLogin.PASSWORD_VARIABLE + " (and " + GhostLogin.USER_PROPERTY + " / "
                        + GhostLogin.USER_VARIABLE + " for another account), or override login(Context) in the "
                        + "migration to return a GhostLogin");
            }
            password = flyway.password() != null ? flyway.password() : parsed.property("password");
        }

        String database = currentCatalog(flyway.connection());
        if (database == null) {
            database = parsed.database();
        }
        if (database == null) {
            throw new GhostException("ghost cannot tell which database holds the table: Flyway's connection has no "
                    + "current database and " + urlSource + " `" + JdbcUrl.redacted(url) + "` names none; set Flyway's "
                    + "defaultSchema, or put the database in the URL (jdbc:mysql://host:port/database)");
        }
        return new GhostLogin(parsed.server(), user, password, database);
    }

    /**
     * Parses a URL that ghost connects with; {@code source} says where it came from, for the error message.
     *
     * @throws IllegalArgumentException naming the URL, what is wrong and how to name the server instead
     */
    static JdbcUrl parseUrl(String url, String source) {
        try {
            return JdbcUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " " + e.getMessage() + "; ghost migrates on one server: name "
                    + "it with -D" + GhostLogin.URL_PROPERTY + " or " + GhostLogin.URL_VARIABLE
                    + " (jdbc:mysql://host:port/database)", e);
        }
    }

    private static String setting(UnaryOperator<String> properties, String property, UnaryOperator<String> environment,
                                  String variable) {
        String value = blankToNull(properties.apply(property));
        return value != null ? value : blankToNull(environment.apply(variable));
    }

    private static String connectionUrl(Connection connection) {
        try {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new GhostException("ghost cannot read the URL of Flyway's connection (" + e.getMessage()
                    + "): set -D" + GhostLogin.URL_PROPERTY + " or " + GhostLogin.URL_VARIABLE, e);
        }
    }

    /**
     * The user name the connection logged in with: {@code USER()} is {@code name@client-host}, and a driver's
     * {@code getUserName()} differs between drivers (Connector/J answers with the host too).
     */
    private static String connectionUser(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT USER()")) {
            row.next();
            String user = row.getString(1);
            int at = user.lastIndexOf('@');
            return at < 0 ? user : user.substring(0, at);
        } catch (SQLException e) {
            throw new GhostException("ghost cannot read the user of Flyway's connection (" + e.getMessage()
                    + "): set -D" + GhostLogin.USER_PROPERTY + " or " + GhostLogin.USER_VARIABLE, e);
        }
    }

    private static String currentCatalog(Connection connection) {
        if (connection == null) {
            return null;
        }
        try {
            return blankToNull(connection.getCatalog());
        } catch (SQLException e) {
            throw new GhostException("ghost cannot read the current database of Flyway's connection: "
                    + e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
