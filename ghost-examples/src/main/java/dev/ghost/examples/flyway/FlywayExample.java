package dev.ghost.examples.flyway;

import dev.ghost.testing.TestServer;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway with online ALTERs: {@code V1__Create_orders.sql} is an ordinary SQL migration, {@code V2__Add_note_to_orders}
 * alters the table through ghost as an {@code OnlineAlterMigration}, {@code V3__Index_orders_by_customer} does so from
 * a plain Java migration with {@code GhostFlyway.alterOnline}, and {@code V4__Widen_customer_names.ghost} is an
 * ALTER TABLE statement in a file that ghost's {@code OnlineAlterResolver} runs online. All live under
 * {@code classpath:dev/ghost/examples/flyway/db}; Flyway finds the Java migrations by scanning that package.
 *
 * <p>{@link #main} starts an embedded MariaDB (binlog on, ROW format) and migrates a database on it.
 */
public final class FlywayExample {

    /** Where the example's migrations are, SQL and Java alike. */
    public static final String LOCATION = "classpath:dev/ghost/examples/flyway/db";

    private FlywayExample() {
    }

    public static void main(String[] args) {
        try (TestServer server = TestServer.start(TestServer.Kind.EMBEDDED)) {
            String database = server.createDatabase("shop").name();
            MigrateResult result = migrate(server.jdbcUrl(database), server.user(), server.password());
            System.out.printf("%d migrations applied, schema now at version %s%n", result.migrationsExecuted,
                    result.targetSchemaVersion);
        }
    }

    /** Migrates the database of {@code url} to the latest version, as an application would at its start. */
    public static MigrateResult migrate(String url, String user, String password) {
        // region flyway
        Flyway flyway = Flyway.configure()
                .dataSource(url, user, password)   // ghost connects with these too
                .locations("classpath:dev/ghost/examples/flyway/db")
                .load();
        return flyway.migrate();
        // endregion flyway
    }
}
