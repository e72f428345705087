package dev.ghost.examples;

import dev.ghost.DataLossException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.internal.sql.ConnectionTimeouts;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ALTERs that would silently drop rows or values stop before the cut-over, unless the user accepts the loss. */
@ExtendWith(RealServer.class)
class DataLossGuardIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter(alter).chunkSize(10);
    }

    @Test
    void aUniqueKeyOverDuplicateValuesStopsTheMigration(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(32) NOT NULL)",
                "INSERT INTO t VALUES (1, 'a@x'), (2, 'b@x'), (3, 'a@x')");
        List<List<String>> before = db.contentOf("t", "id");
        assertThatThrownBy(() -> migrate(db, "ADD UNIQUE KEY uk_email (email)").build().run())
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.warnings())
                        .singleElement().asString().contains("1062", "uk_email"))
                .hasMessageContainingAll("`t`", "data loss", "--panic-on-warnings=false",
                        "Warning: Duplicate entry 'a@x' for key 'uk_email'");
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", "id")).isEqualTo(before);
    }

    @Test
    void aNarrowedTypeThatTruncatesStopsTheMigration(TestDatabase db) {
        db.execute("SET SESSION sql_mode = ''", "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)",
                "INSERT INTO t VALUES (1, 'short'), (2, 'a much longer name')");
        assertThatThrownBy(() -> migrate(db, "MODIFY name VARCHAR(8) NOT NULL").build().run())
                .isInstanceOfSatisfying(DataLossException.class, e -> assertThat(e.warnings())
                        .anySatisfy(w -> assertThat(w).contains("name")));
        assertThat(db.tables()).containsExactly("t");
    }

    @Test
    void theLossCanBeAcceptedExplicitly(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(32) NOT NULL)",
                "INSERT INTO t VALUES (1, 'a@x'), (2, 'b@x'), (3, 'a@x')");
        SchemaChangeResult result = migrate(db, "ADD UNIQUE KEY uk_email (email)").panicOnWarnings(false)
                .okToDropTable(true).build().run();
        assertThat(result.rowsCopied()).isEqualTo(2);
        assertThat(db.query("SELECT id FROM t ORDER BY id")).containsExactly(List.of("1"), List.of("2"));
    }

    @Test
    void anAlterWithoutNewKeysOrTypeChangesDoesNotNeedTheGuard(TestDatabase db) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(32) NOT NULL, UNIQUE KEY uk (email))",
                "INSERT INTO t VALUES (1, 'a@x'), (2, 'b@x')");
        SchemaChangeResult result = migrate(db, "ADD COLUMN note TEXT").build().run();
        assertThat(result.rowsCopied()).isEqualTo(2);
    }

    @Test
    void aValueTruncatedOnReplayStopsTheMigrationToo(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)",
                "INSERT INTO t VALUES (1, 'short'), (2, 'tiny')");
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try {
            // Not strict, and --skip-strict-mode: the replay's REPLACE truncates with a warning instead of failing,
            // the case the guard is for.
            db.execute("SET GLOBAL sql_mode = ''");
            RunningMigration migration = migrate(db, "MODIFY name VARCHAR(8) NOT NULL").skipStrictMode(true).build()
                    .start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, java.time.Duration.ofSeconds(30));
            db.execute("INSERT INTO t VALUES (3, 'a name far too long for eight')");
            assertThatThrownBy(migration::await).isInstanceOfSatisfying(DataLossException.class,
                    e -> assertThat(e.getMessage()).contains("replaying the binlog", "name"));
            assertThat(db.tables()).containsExactly("t");
        } finally {
            db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
        }
    }
    /**
     * gh-ost's default, without --skip-strict-mode: the replay runs under STRICT_ALL_TABLES even where the server's
     * own mode is not strict, so a value the new column cannot hold fails the replay with the server's error, before
     * any cut-over, with the data-loss guard off too. Nothing is left behind.
     */
    @Test
    void withoutSkipStrictModeATooLongReplayedValueFailsTheMigrationEvenOnANonStrictServer(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)",
                "INSERT INTO t VALUES (1, 'short'), (2, 'tiny')");
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try {
            db.execute("SET GLOBAL sql_mode = ''");
            RunningMigration migration = migrate(db, "MODIFY name VARCHAR(8) NOT NULL").panicOnWarnings(false)
                    .defaultRetries(1).build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, java.time.Duration.ofSeconds(30));
            db.execute("INSERT INTO t VALUES (3, 'a name far too long for eight')");
            assertThatThrownBy(migration::await).hasStackTraceContaining("Data too long for column 'name'");
            assertThat(db.tables()).containsExactly("t");
            assertThat(db.contentOf("t", "id")).hasSize(3);
        } finally {
            db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
        }
    }

    /** The sessions that copy and replay: STRICT_ALL_TABLES added by default, the server's own mode when skipped. */
    @Test
    void copyAndReplaySessionsAreStrictUnlessSkipped(TestDatabase db) throws Exception {
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try {
            db.execute("SET GLOBAL sql_mode = 'NO_ENGINE_SUBSTITUTION'");
            ServerAddress server = ServerAddress.of(db.server().host(), db.server().port());
            assertThat(sessionMode(new ServerConnections(server, db.server().user(),
                    db.server().password(), db.name()))).contains("STRICT_ALL_TABLES", "NO_ENGINE_SUBSTITUTION");
            assertThat(sessionMode(new ServerConnections(server, db.server().user(),
                    db.server().password(), db.name(), ConnectionTimeouts.DEFAULTS,
                    Tls.preferred(), false)))
                    .doesNotContain("STRICT").contains("NO_ENGINE_SUBSTITUTION", "NO_AUTO_VALUE_ON_ZERO");
        } finally {
            db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
        }
    }

    private static String sessionMode(ServerConnections connections) throws Exception {
        try (Connection connection = connections.open();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@SESSION.sql_mode")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /**
     * SHOW WARNINGS returns at most max_error_count warnings: a truncation after that many expected duplicates would
     * only be visible in the statement's warning count. ghost's sessions raise max_error_count to its maximum, so
     * that even under a server-wide 5 the truncation after ten expected duplicates is read and named. Ten rows reach
     * the ghost table through the replay first, so that the copy's single chunk meets ten duplicates (expected)
     * before the truncated eleventh row.
     */
    @Test
    void aTruncationAfterMoreExpectedDuplicatesThanTheServersMaxErrorCountStopsTheMigration(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)");
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= 20; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", '")
                    .append(id == 11 ? "a name far too long for eight" : "n" + id).append("')");
        }
        db.execute("INSERT INTO t VALUES " + rows);
        String maxErrorCount = db.query("SELECT @@GLOBAL.max_error_count").get(0).get(0);
        try {
            db.execute("SET GLOBAL max_error_count = 5"); // ghost's sessions start after this
            RunningMigration migration = migrate(db, "MODIFY name VARCHAR(8) NOT NULL").chunkSize(100).build().start();
            migration.throttle();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, java.time.Duration.ofSeconds(30));
            db.execute("UPDATE t SET name = CONCAT('u', id) WHERE id <= 10"); // replayed into the ghost table
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (db.queryLong("SELECT COUNT(*) FROM _t_gho") < 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(db.queryLong("SELECT COUNT(*) FROM _t_gho")).isEqualTo(10);
            List<List<String>> before = db.contentOf("t", "id");
            migration.unthrottle();
            assertThatThrownBy(migration::await).isInstanceOfSatisfying(DataLossException.class,
                    e -> assertThat(e.getMessage()).contains("copying rows", "name"));
            assertThat(db.tables()).containsExactly("t");
            assertThat(db.contentOf("t", "id")).isEqualTo(before);
        } finally {
            db.execute("SET GLOBAL max_error_count = " + maxErrorCount);
        }
    }
}
