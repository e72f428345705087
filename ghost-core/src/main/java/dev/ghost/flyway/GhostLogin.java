package dev.ghost.flyway;

import dev.ghost.GhostException;
import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.JdbcUrl;

import org.flywaydb.core.api.migration.Context;

import java.util.Objects;

/**
 * Where ghost connects for a Flyway migration, as whom, and in which database. ghost opens connections of its own
 * (to copy, to replay the binlog, to cut over), so it needs the server's address and a password, not only Flyway's
 * open connection.
 *
 * <p>{@link #from(Context)} finds each value in this order, the first one found wins:
 * <ol>
 *   <li>the system properties {@value #URL_PROPERTY}, {@value #USER_PROPERTY}, {@value #PASSWORD_PROPERTY};</li>
 *   <li>the environment variables {@value #URL_VARIABLE}, {@value #USER_VARIABLE}, {@value #PASSWORD_VARIABLE};</li>
 *   <li>Flyway's configuration: the url, user and password it was given
 *       ({@code Flyway.configure().dataSource(url, user, password)}, {@code flyway.url} in its configuration file,
 *       ...), then the {@code user} and {@code password} in the URL's query;</li>
 *   <li>when Flyway was given a {@code DataSource} instead (as Spring Boot's auto-configuration does): the url, user
 *       and password that the DataSource was configured with, read through its getters (HikariCP, Spring's
 *       {@code DriverManagerDataSource}, Connector/J's {@code MysqlDataSource}, Flyway's own, and the wrappers that
 *       name a {@code getTargetDataSource()});</li>
 *   <li>Flyway's connection: its URL and its user. A connection never tells its password: when nothing above gave
 *       one, the password must come from 1 or 2, or from a migration that overrides
 *       {@link OnlineAlterMigration#login(Context)}.</li>
 * </ol>
 * The ghost-specific settings come first so that ghost can use an account of its own: reading the binlog needs
 * {@code REPLICATION SLAVE} and {@code REPLICATION CLIENT}, which a schema-owner account often lacks.
 *
 * <p>The database is the current catalog of Flyway's connection (Flyway's default schema, else the URL's database),
 * else the database of the URL found above.
 *
 * @param server   the server to migrate on
 * @param user     the user ghost connects as; it also reads the binlog
 * @param password its password, empty for none
 * @param database the database (schema) that holds the tables to alter
 */
public record GhostLogin(ServerAddress server, String user, String password, String database) {

    /** System property with the JDBC URL ghost connects to, e.g. {@code jdbc:mysql://db1:3306/shop}. */
    public static final String URL_PROPERTY = "ghost.flyway.url";
    /** System property with the user ghost connects as. */
    public static final String USER_PROPERTY = "ghost.flyway.user";
    /** System property with the password of that user. */
    public static final String PASSWORD_PROPERTY = "ghost.flyway.password";
    /** Environment variable with the JDBC URL ghost connects to, used when the system property is not set. */
    public static final String URL_VARIABLE = "GHOST_FLYWAY_URL";
    /** Environment variable with the user ghost connects as, used when the system property is not set. */
    public static final String USER_VARIABLE = "GHOST_FLYWAY_USER";
    /** Environment variable with the password of that user, used when the system property is not set. */
    public static final String PASSWORD_VARIABLE = "GHOST_FLYWAY_PASSWORD";

    /**
     * Checks that every value is there.
     *
     * @param server   the server to migrate on
     * @param user     the user ghost connects as
     * @param password its password; null is taken as empty
     * @param database the database that holds the tables to alter
     * @throws NullPointerException when {@code server}, {@code user} or {@code database} is null
     */
    public GhostLogin {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
        password = password == null ? "" : password;
    }

    /**
     * A login from a JDBC URL that names the database, e.g. {@code jdbc:mysql://db1:3306/shop}.
     *
     * @param jdbcUrl  a single-host {@code jdbc:mysql://} or {@code jdbc:mariadb://} URL with a database
     * @param user     the user ghost connects as
     * @param password its password; null is taken as empty
     * @return the login
     * @throws IllegalArgumentException when the URL is not such a URL or names no database
     */
    public static GhostLogin of(String jdbcUrl, String user, String password) {
        JdbcUrl url = LoginResolver.parseUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), "the URL");
        if (url.database() == null) {
            throw new IllegalArgumentException("the URL `" + JdbcUrl.redacted(jdbcUrl)
                    + "` names no database: add it as its path, e.g. jdbc:mysql://db1:3306/shop");
        }
        return new GhostLogin(url.server(), user, password, url.database());
    }

    /**
     * Finds the login for a migration that Flyway runs, as the class comment says.
     *
     * @param context the context Flyway hands to the migration
     * @return the login
     * @throws GhostException when a value cannot be found, saying which one and how to supply it
     */
    public static GhostLogin from(Context context) {
        return LoginResolver.resolve(context, System::getProperty, System::getenv);
    }

    /**
     * Another login to the same server and user, in another database.
     *
     * @param otherDatabase the database that holds the tables to alter
     * @return the login
     */
    public GhostLogin inDatabase(String otherDatabase) {
        return new GhostLogin(server, user, password, otherDatabase);
    }

    /**
     * Everything but the password.
     *
     * @return {@code user@host:port/database}
     */
    @Override
    public String toString() {
        return user + "@" + server + "/" + database;
    }
}
