package dev.ghost.examples.flyway;

import dev.ghost.PreflightCheckException;
import dev.ghost.flyway.GhostFlyway;
import dev.ghost.flyway.GhostLogin;
import dev.ghost.flyway.OnlineAlterException;
import dev.ghost.flyway.OnlineAlterMigration;
import dev.ghost.flyway.OnlineAlterResolver;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import com.mysql.cj.jdbc.MysqlDataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flyway example end to end on a real server: Flyway runs the SQL migration and the online ALTER like any
 * migrations, records each once, and a refused online ALTER is a failed Flyway migration that leaves nothing behind.
 */
@ExtendWith(RealServer.class)
class FlywayExampleIT {

    private static final int ROWS = 3000;
    private static final String HISTORY = "SELECT version, description, type, success FROM flyway_schema_history "
            + "WHERE version IS NOT NULL ORDER BY installed_rank";

    @Test
    void theOnlineAlterMigratesWhileWritersWriteAndEveryRowIsKeptByteForByte(TestDatabase db) throws Exception {
        String url = db.server().jdbcUrl(db.name());
        Flyway.configure().dataSource(url, db.server().user(), db.server().password())
                .locations(FlywayExample.LOCATION).target("1").load().migrate();
        fill(db);
        db.execute("CREATE TABLE orders_mirror LIKE orders", "INSERT INTO orders_mirror SELECT * FROM orders");

        MigrateResult result;
        long writesDuring;
        try (MirroredWriters writers = MirroredWriters.start(db, "orders_mirror", ROWS, 3)) {
            awaitWrites(writers, 50);
            long before = writers.committed();
            result = FlywayExample.migrate(url, db.server().user(), db.server().password());
            writesDuring = writers.committed() - before;
            awaitWrites(writers, writers.committed() + 50); // writes on the new table after the cut-over, too
        }
        assertThat(result.migrationsExecuted).isEqualTo(3);
        assertThat(result.targetSchemaVersion).isEqualTo("4");
        assertThat(writesDuring).as("writes while Flyway ran the online ALTER").isPositive();

        List<String> shared = List.of("id", "customer", "amount", "created", "payload", "status");
        assertThat(db.contentOf("orders", shared, "id")).hasSizeGreaterThan(ROWS / 2)
                .isEqualTo(db.contentOf("orders_mirror", shared, "id"));
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE note IS NOT NULL")).containsExactly(List.of("0"));
        assertThat(db.query("SELECT index_name FROM information_schema.statistics WHERE table_schema = '" + db.name()
                + "' AND table_name = 'orders' AND index_name IN ('idx_created', 'idx_customer')"))
                .containsExactlyInAnyOrder(List.of("idx_created"), List.of("idx_customer"));
        assertThat(db.tables()).as("ghost's tables are gone, the old one dropped as a plain ALTER would")
                .containsExactly("flyway_schema_history", "orders", "orders_mirror");
        assertThat(db.query(HISTORY)).containsExactly(
                List.of("1", "Create orders", "SQL", "1"),
                List.of("2", "Add note to orders", "JDBC", "1"),
                List.of("3", "Index orders by customer", "JDBC", "1"),
                List.of("4", "Widen customer names", "CUSTOM", "1"));
        assertThat(db.query("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = '"
                + db.name() + "' AND table_name = 'orders' AND column_name = 'customer'")).containsExactly(
                List.of("128"));

        MigrateResult again = FlywayExample.migrate(url, db.server().user(), db.server().password());
        assertThat(again.migrationsExecuted).isZero();
        assertThat(db.query(HISTORY)).hasSize(4);
        Flyway.configure().dataSource(url, db.server().user(), db.server().password())
                .locations(FlywayExample.LOCATION).load().validate();
    }

    @Test
    void aRefusedOnlineAlterIsAFailedMigrationThatLeavesNothingBehindUntilRepaired(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-keyless").javaMigrations(new V2__Add_source_to_events()).load();

        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("`events`", "no PRIMARY nor UNIQUE key", "add a primary key first")
                .cause().isInstanceOf(OnlineAlterException.class).cause().isInstanceOf(PreflightCheckException.class);
        assertThat(db.tables()).containsExactly("events", "flyway_schema_history");
        assertThat(db.query(HISTORY)).containsExactly(
                List.of("1", "Create events", "SQL", "1"),
                List.of("2", "Add source to events", "JDBC", "0"));
        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("failed");

        // What a user does: fix the cause, repair the history, migrate again.
        db.execute("ALTER TABLE events ADD COLUMN id INT NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST");
        flyway.repair();
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
        assertThat(db.query(HISTORY)).extracting(row -> row.get(3)).containsExactly("1", "1");
        assertThat(db.query("SELECT id, what, source FROM events ORDER BY id")).containsExactly(
                List.of("1", "signed up", "web"), List.of("2", "signed up", "web"));
    }

    @Test
    void theHelperRunsInAnyJavaMigrationButNotInsideFlywaysTransaction(TestDatabase db) {
        String url = db.server().jdbcUrl(db.name());
        Flyway inTransaction = Flyway.configure().dataSource(url, db.server().user(), db.server().password())
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Rename_in_transaction()).load();
        assertThatThrownBy(inTransaction::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("inside a transaction", "items", "canExecuteInTransaction() return false");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");

        db.execute("DROP TABLE flyway_schema_history, items");
        Flyway.configure().dataSource(url, db.server().user(), db.server().password())
                .locations("classpath:db/flyway-small").target("1").load().migrate();
        List<List<String>> before = db.contentOf("items", "id");
        Flyway outside = Flyway.configure().dataSource(url, db.server().user(), db.server().password())
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Widen_items_name()).load();
        assertThat(outside.migrate().migrationsExecuted).isEqualTo(1);
        assertThat(db.contentOf("items", "id")).isEqualTo(before);
        assertThat(db.query("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = '"
                + db.name() + "' AND table_name = 'items' AND column_name = 'name'")).containsExactly(List.of("200"));
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    @Test
    void withADataSourceGhostConnectsWithTheCredentialsTheDataSourceWasGiven(TestDatabase db) {
        // As Spring Boot configures Flyway: a DataSource (here Connector/J's; HikariCP's reads the same way).
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setUrl(db.server().jdbcUrl(db.name()));
        dataSource.setUser(db.server().user());
        dataSource.setPassword(db.server().password());
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/flyway-small")
                .javaMigrations(new V2__Widen_items_name()).load();

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(db.query(HISTORY)).extracting(row -> row.get(3)).containsExactly("1", "1");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    @Test
    void withADataSourceThatHidesItsPasswordGhostAsksForItAndTakesItFromItsProperty(TestDatabase db) {
        MysqlDataSource driver = new MysqlDataSource();
        driver.setUrl(db.server().jdbcUrl(db.name()));
        driver.setUser(db.server().user());
        driver.setPassword(db.server().password());
        Flyway flyway = Flyway.configure().dataSource(new OpaqueDataSource(driver))
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Widen_items_name()).load();

        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("password of " + db.server().user(), "DataSource",
                        GhostLogin.PASSWORD_PROPERTY, GhostLogin.PASSWORD_VARIABLE, "login(Context)");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");

        flyway.repair();
        System.setProperty(GhostLogin.PASSWORD_PROPERTY, db.server().password());
        try {
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
        } finally {
            System.clearProperty(GhostLogin.PASSWORD_PROPERTY);
        }
        assertThat(db.query(HISTORY)).extracting(row -> row.get(3)).containsExactly("1", "1");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    /** An application's DataSource that hands out connections and tells nothing of how it makes them. */
    private static final class OpaqueDataSource implements javax.sql.DataSource {
        private final javax.sql.DataSource target;

        OpaqueDataSource(javax.sql.DataSource target) {
            this.target = target;
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            return target.getConnection();
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            return target.getConnection(user, password);
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws java.sql.SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws java.sql.SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws java.sql.SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws java.sql.SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
            throw new java.sql.SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @Test
    void inOneGroupFlywayMustBeAllowedToMixTransactionalAndNonTransactionalMigrations(TestDatabase db) {
        String url = db.server().jdbcUrl(db.name());
        Flyway grouped = Flyway.configure().dataSource(url, db.server().user(), db.server().password()).group(true)
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Widen_items_name()).load();
        assertThatThrownBy(grouped::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContaining("both transactional and non-transactional migrations");

        Flyway mixed = Flyway.configure().dataSource(url, db.server().user(), db.server().password()).group(true)
                .mixed(true).locations("classpath:db/flyway-small").javaMigrations(new V2__Widen_items_name()).load();
        assertThat(mixed.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(db.query(HISTORY)).extracting(row -> row.get(3)).containsExactly("1", "1");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    @Test
    void aMigrationCanSayItsLoginInCode(TestDatabase db) {
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setUrl(db.server().jdbcUrl(db.name()));
        dataSource.setUser(db.server().user());
        dataSource.setPassword(db.server().password());
        GhostLogin login = GhostLogin.of(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password());
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/flyway-small")
                .javaMigrations(new V2__Add_price_to_items(login)).load();

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(db.query("SELECT id, name, price FROM items ORDER BY id")).containsExactly(
                List.of("1", "pen", "0"), List.of("2", "ink 🖋", "0"), List.of("3", "paper", "0"));
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    @Test
    void aBadAlterIsAFailedMigrationWithTheServersErrorAndNothingLeftBehind(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Bad_alter_of_items()).load();

        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("SQL State  : 42S22", "Error Code : 1054", "`items`", "nosuchcolumn");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
        assertThat(db.query(HISTORY)).extracting(row -> row.get(3)).containsExactly("1", "0");
    }

    @Test
    void theDatabaseIsFlywaysDefaultSchemaWhenTheUrlNamesNone(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(null), db.server().user(), db.server().password())
                .defaultSchema(db.name())
                .locations("classpath:db/flyway-small").javaMigrations(new V2__Widen_items_name()).load();

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(db.query("SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = '"
                + db.name() + "' AND table_name = 'items' AND column_name = 'name'")).containsExactly(List.of("200"));
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    /** An ALTER the server refuses: ghost fails while altering its ghost table. */
    public static class V2__Bad_alter_of_items extends OnlineAlterMigration {
        public V2__Bad_alter_of_items() {
            super("items", "ADD COLUMN price INT AFTER nosuchcolumn");
        }
    }

    @Test
    void anAlterInAGhostFileRunsOnlineThroughTheResolver(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-script").resolvers(new OnlineAlterResolver(ghost -> ghost.chunkSize(10)))
                .load();
        Flyway.configure().dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-script").target("1").load().migrate();
        List<List<String>> before = db.contentOf("items", "id");

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
        assertThat(db.contentOf("items", List.of("id", "name"), "id")).isEqualTo(before);
        assertThat(db.query("SELECT price FROM items ORDER BY id")).containsOnly(List.of("0.00"));
        assertThat(db.query("SELECT version, description, type, success, script FROM flyway_schema_history "
                + "WHERE version = '2'")).containsExactly(
                List.of("2", "Add price to items", "CUSTOM", "1", "V2__Add_price_to_items.ghost"));
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
        assertThat(flyway.migrate().migrationsExecuted).isZero();
        flyway.validate();
    }

    @Test
    void aGhostFileThatIsNotOneAlterTableFailsValidationNamingTheFile(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-script-bad").load();

        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("V2__Two_alters.ghost", "2 statements", "exactly one ALTER TABLE");
        assertThat(db.tables()).doesNotContain("items");

        Flyway repeatable = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-script-repeatable").load();
        assertThatThrownBy(repeatable::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContainingAll("R__Add_price.ghost", "cannot be a repeatable migration", "V<version>__");
        assertThat(db.tables()).doesNotContain("items");
    }

    @Test
    void flywayFindsGhostFilesWithoutARegisteredResolver(TestDatabase db) {
        Flyway flyway = Flyway.configure()
                .dataSource(db.server().jdbcUrl(db.name()), db.server().user(), db.server().password())
                .locations("classpath:db/flyway-script").load();

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(db.query("SELECT id, name, price FROM items ORDER BY id")).containsExactly(
                List.of("1", "pen", "0.00"), List.of("2", "ink 🖋", "0.00"), List.of("3", "paper", "0.00"));
        assertThat(db.query(HISTORY)).extracting(row -> row.get(2)).containsExactly("SQL", "CUSTOM");
        assertThat(db.tables()).containsExactly("flyway_schema_history", "items");
    }

    /** Overrides {@code login}: what a migration does when the password comes from a secrets store. */
    public static class V2__Add_price_to_items extends OnlineAlterMigration {
        private final GhostLogin login;

        V2__Add_price_to_items(GhostLogin login) {
            super("items", "ADD COLUMN price INT NOT NULL DEFAULT 0");
            this.login = login;
        }

        @Override
        protected GhostLogin login(Context context) {
            return login;
        }
    }

    /** Refused by ghost: {@code events} has no primary or unique key. */
    public static class V2__Add_source_to_events extends OnlineAlterMigration {
        public V2__Add_source_to_events() {
            super("events", "ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'web'");
        }
    }

    /** The helper, from a migration that Flyway runs outside a transaction. */
    public static class V2__Widen_items_name extends BaseJavaMigration {
        @Override
        public boolean canExecuteInTransaction() {
            return false;
        }

        @Override
        public void migrate(Context context) throws SQLException {
            GhostFlyway.alterOnline(context, "items", "MODIFY name VARCHAR(200) CHARACTER SET utf8mb4 NOT NULL",
                    ghost -> ghost.chunkSize(10));
        }
    }

    /** The helper, from a migration that Flyway runs inside its transaction (BaseJavaMigration's default). */
    public static class V2__Rename_in_transaction extends BaseJavaMigration {
        @Override
        public void migrate(Context context) throws SQLException {
            GhostFlyway.alterOnline(context, "items", "ADD COLUMN price INT NULL");
        }
    }

    private static void fill(TestDatabase db) {
        String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        db.execute("INSERT INTO orders (id, customer, amount, created, payload, status) "
                + "SELECT n, CONCAT('customer-', n, IF(n % 7 = 0, ' 😀 ünïcödé', '')), "
                + "IF(n % 11 = 0, NULL, (n * 37 % 100000) / 7), "
                + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n SECOND + INTERVAL (n % 999999) MICROSECOND, "
                + "IF(n % 4 = 0, NULL, UNHEX(SHA2(n, 256))), n % 256 "
                + "FROM (SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n FROM " + digits + " a, " + digits
                + " b, " + digits + " c, " + digits + " e) numbers WHERE n <= " + ROWS);
    }

    private static void awaitWrites(MirroredWriters writers, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (writers.committed() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writers.committed()).as("writes committed").isGreaterThanOrEqualTo(count);
    }
}
