package dev.ghost.testkit;

import dev.ghost.testing.TestDatabase;
import dev.ghost.testkit.internal.TableFiller;
import dev.ghost.testkit.internal.TableShape;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One test's own schema on the shared test server, and the front door of the kit: create tables with
 * {@link #execute}, fill them with {@link #fill}, then {@link #migrate} them or {@link #assertRefused check that ghost
 * refuses}. {@link GhostTestKit} hands one to each test method that asks for it and drops its schema after the test.
 *
 * <p>Statements run with the schema as the default database, so table names need no schema.
 */
public final class SchemaChangeLab {

    /** The system property that replays a run's generated values: {@code -Dghost.testkit.seed=N}. */
    public static final String SEED_PROPERTY = "ghost.testkit.seed";

    private final TestDatabase database;
    private final long seed;
    /** How many sources of values the lab has handed out: each fill and each writer gets its own, in order. */
    private final AtomicLong sources = new AtomicLong();

    SchemaChangeLab(TestDatabase database) {
        this.database = database;
        Long fixed = Long.getLong(SEED_PROPERTY);
        this.seed = fixed != null ? fixed : ThreadLocalRandom.current().nextLong();
    }

    /**
     * The seed of the values that {@link #fill} and the writers generate in this test: random unless the system
     * property {@value #SEED_PROPERTY} fixes it. Failure messages name it, so that a failing test can be run again
     * with the same values ({@code -Dghost.testkit.seed=N}); the writers' interleaving with the copy still varies.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** The next source of values, derived from the seed: the same sequence of fills and writers gets the same. */
    Random nextRandom() {
        return new Random(seed * 0x9E3779B97F4A7C15L + sources.incrementAndGet());
    }

    /**
     * The name of this test's schema.
     *
     * @return the schema name, e.g. {@code orderschangetest_addsnote_4711_3}
     */
    public String schema() {
        return database.name();
    }

    /**
     * A new connection to the test server with this schema as its default database, as the user {@code ghost} (who
     * may do everything). The caller closes it.
     *
     * @return an open connection
     * @throws SQLException when the server cannot be reached
     */
    public Connection connect() throws SQLException {
        return database.connect();
    }

    /**
     * The JDBC URL of this schema on the test server, e.g. for a connection pool or a framework under test; the
     * user and password are {@link #user()} and {@link #password()}.
     *
     * @return a {@code jdbc:mysql://} URL
     */
    public String jdbcUrl() {
        return database.server().jdbcUrl(database.name());
    }

    /**
     * The test server's user.
     *
     * @return the user name
     */
    public String user() {
        return database.server().user();
    }

    /**
     * The test server's password.
     *
     * @return the password of {@link #user()}
     */
    public String password() {
        return database.server().password();
    }

    /**
     * Runs SQL statements in order, on one connection.
     *
     * @param statements the statements, e.g. a {@code CREATE TABLE}
     * @throws IllegalStateException when a statement fails; the message has the server's error and the statements
     */
    public void execute(String... statements) {
        database.execute(statements);
    }

    /**
     * Every row of a query, every column as the server prints it (NULL stays null).
     *
     * @param sql a query
     * @return the rows, each a list of column values
     * @throws IllegalStateException when the query fails
     */
    public List<List<String>> query(String sql) {
        return database.query(sql);
    }

    /**
     * Adds {@code rows} rows of generated values to a table, values made from each column's type as the writers of
     * {@link MigrationUnderTest#withWriters} make them: integers across their whole range, decimals within their
     * precision, text within its length with multi-byte characters, binary data, dates and times with their
     * fractional digits, ENUM and SET members, JSON, and NULL now and then where allowed. Generated and
     * AUTO_INCREMENT columns are left to the server.
     *
     * @param table a table of this schema
     * @param rows  how many rows to add
     * @throws IllegalArgumentException when the table does not exist, or a column without default has a type the
     *                                  kit cannot make values for
     * @throws IllegalStateException    when the table's unique keys leave no room for that many rows, or the server
     *                                  fails
     */
    public void fill(String table, long rows) {
        Objects.requireNonNull(table, "table");
        try (Connection connection = connect()) {
            TableFiller.fill(connection, TableShape.read(connection, schema(), table), rows, nextRandom());
        } catch (SQLException e) {
            throw new IllegalStateException("could not fill `" + table + "` (seed " + seed + "): " + e.getMessage(), e);
        }
    }

    /**
     * A migration of a table of this schema with ghost, to configure and {@link MigrationUnderTest#run() run}.
     *
     * @param table the table
     * @param alter what follows {@code ALTER TABLE t}, e.g. {@code ADD COLUMN note VARCHAR(64) NULL}
     * @return the migration, not started yet
     */
    public MigrationUnderTest migrate(String table, String alter) {
        return new MigrationUnderTest(this, Objects.requireNonNull(table, "table"),
                Objects.requireNonNull(alter, "alter"));
    }

    /**
     * Asserts that ghost refuses this change and leaves the table as it was; short for
     * {@code migrate(table, alter).assertRefused()}.
     *
     * @param table the table
     * @param alter what follows {@code ALTER TABLE t}
     * @return the refusal, to check its reason
     * @throws AssertionError when ghost migrates the table, or refuses but leaves something changed behind
     */
    public Refusal assertRefused(String table, String alter) {
        return migrate(table, alter).assertRefused();
    }

    TestDatabase database() {
        return database;
    }

    @Override
    public String toString() {
        return "schema " + schema() + " on the " + database.server() + ", seed " + seed;
    }
}
