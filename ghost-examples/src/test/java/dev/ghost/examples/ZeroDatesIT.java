package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zero dates and dates with zero parts that the server already stored survive a migration whose server runs with a
 * strict GLOBAL sql_mode with NO_ZERO_DATE and NO_ZERO_IN_DATE: ghost's copy and replay sessions drop those two
 * modes, so neither the copy (INSERT IGNORE would turn '2020-00-15' into '0000-00-00') nor the replay (it would fail)
 * changes them. A zero DEFAULT in the table's definition needs --allow-zero-in-date, as in gh-ost.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class ZeroDatesIT {

    private static final String STRICT = "STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
            + "NO_ENGINE_SUBSTITUTION";
    /** The writers' sessions: strict, but allowing zero dates, so that they can store them. */
    private static final String WRITER_MODE = "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION";
    private static final String[][] VALUES = {
            {"'0000-00-00'", "'0000-00-00 00:00:00'", "'0000-00-00 00:00:00'"},
            {"'2020-00-15'", "'2020-00-15 10:11:12'", "'0000-00-00 00:00:00'"},
            {"'2020-01-00'", "'2020-01-00 00:00:01.5'", "'2020-01-01 00:00:00'"},
            {"'2020-00-00'", "'0000-01-01 00:00:00'", "NULL"},
    };
    private static final int ROWS = 2_000;

    @Test
    void zeroDatesWrittenDuringTheCopyKeepTheirExactValueUnderAStrictGlobalSqlMode(TestDatabase db) throws Exception {
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            statement.execute("SET SESSION sql_mode = '" + WRITER_MODE + "', time_zone = '+00:00'");
            statement.execute("CREATE TABLE dates (id INT AUTO_INCREMENT PRIMARY KEY, d DATE NOT NULL, "
                    + "dt DATETIME(1) NOT NULL, ts TIMESTAMP NULL, note VARCHAR(10))");
            for (int id = 1; id <= ROWS; id++) {
                statement.addBatch(insert(id));
            }
            statement.executeBatch();
            db.execute("SET GLOBAL sql_mode = '" + STRICT + "'");
            try {
                RunningMigration migration = OnlineSchemaChange.builder()
                        .connection(db.server().host(), db.server().port(), db.server().user(),
                                db.server().password())
                        .database(db.name()).table("dates").alter("ADD COLUMN extra INT NULL")
                        .chunkSize(100)
                        .build()
                        .start();
                migration.throttle();
                migration.postponeCutover();
                OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
                writeRound(statement, 0); // before the copy reads these rows
                migration.unthrottle();
                int round = 1;
                while (migration.status().state() == MigrationState.COPYING) {
                    writeRound(statement, round++); // while it copies them
                }
                OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
                writeRound(statement, round); // through the binlog only
                migration.unpostponeCutover();
                migration.await(Duration.ofMinutes(2));
            } finally {
                db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
            }
        }
        List<List<String>> before = content(db, "_dates_del");
        List<List<String>> after = content(db, "dates");
        assertThat(before).hasSizeGreaterThan(ROWS);
        assertThat(after).isEqualTo(before);
        assertThat(after).anySatisfy(row -> assertThat(row.get(1)).isEqualTo("2020-00-15"));
        assertThat(after).anySatisfy(row -> assertThat(row.get(1)).isEqualTo("2020-01-00"));
        assertThat(after).anySatisfy(row -> assertThat(row.get(2)).isEqualTo("2020-00-15 10:11:12.0"));
    }

    /**
     * Without --allow-zero-in-date the new table is created under the server's global sql_mode, as gh-ost does: a zero
     * DEFAULT that NO_ZERO_DATE forbids is refused with the server's own error, and nothing is left behind.
     */
    @Test
    void aZeroDefaultIsRefusedUnderTheServersSqlModeWithoutAllowZeroInDate(TestDatabase db) {
        tableWithZeroDefault(db);
        List<List<String>> before = db.contentOf("t", "id");
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try {
            db.execute("SET GLOBAL sql_mode = '" + STRICT + "'");
            assertThatThrownBy(() -> migrate(db).build().run())
                    .isInstanceOfSatisfying(PreflightCheckException.class,
                            e -> assertThat(e.check()).isEqualTo("alter"))
                    .hasMessageContainingAll("`t`", "Invalid default value for 'dt'", "NO_ZERO_DATE",
                            "--allow-zero-in-date");
        } finally {
            db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
        }
        assertThat(db.tables()).containsExactly("t");
        assertThat(db.contentOf("t", "id")).isEqualTo(before);
    }

    /** With it, the zero default and the zero dates stay, as before. */
    @Test
    void aZeroDefaultIsKeptWithAllowZeroInDate(TestDatabase db) {
        tableWithZeroDefault(db);
        List<List<String>> before = db.query("SELECT id, CAST(dt AS CHAR) FROM t ORDER BY id");
        String globalMode = db.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        try {
            db.execute("SET GLOBAL sql_mode = '" + STRICT + "'");
            migrate(db).allowZeroInDate(true).build().run();
        } finally {
            db.execute("SET GLOBAL sql_mode = '" + globalMode + "'");
        }
        assertThat(db.query("SELECT id, CAST(dt AS CHAR) FROM t ORDER BY id")).isEqualTo(before);
        assertThat(db.query("SHOW CREATE TABLE t").get(0).get(1)).contains("DEFAULT '0000-00-00 00:00:00'");
    }

    private static void tableWithZeroDefault(TestDatabase db) {
        db.execute("SET SESSION sql_mode = '" + WRITER_MODE + "'",
                "CREATE TABLE t (id INT PRIMARY KEY, dt DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00')",
                "INSERT INTO t (id) VALUES (1)", "INSERT INTO t VALUES (2, '2020-00-15 10:11:12'), (3, '2021-01-01')");
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT NULL").chunkSize(10).okToDropTable(true);
    }

    private static String insert(int k) {
        String[] v = VALUES[k % VALUES.length];
        return "INSERT INTO dates (d, dt, ts, note) VALUES (" + v[0] + ", " + v[1] + ", " + v[2] + ", 'i" + k + "')";
    }

    /** Inserts, updates to other zero dates, and deletes, spread over the table. */
    private static void writeRound(Statement statement, int round) throws SQLException {
        for (int n = 0; n < 40; n++) {
            int k = round * 40 + n;
            statement.execute(insert(k));
            String[] v = VALUES[(k + 1) % VALUES.length];
            int id = 1 + (k * 37) % ROWS;
            statement.execute("UPDATE dates SET d = " + v[0] + ", dt = " + v[1] + ", ts = " + v[2] + " WHERE id = "
                    + id);
            if (n % 10 == 0) {
                statement.execute("DELETE FROM dates WHERE id = " + (1 + (k * 53) % ROWS));
            }
        }
    }

    /** Both tables are read in the same session time zone, so TIMESTAMPs compare exactly. */
    private static List<List<String>> content(TestDatabase db, String table) {
        return db.query("SELECT id, CAST(d AS CHAR), CAST(dt AS CHAR), IFNULL(CAST(ts AS CHAR), 'NULL'), note "
                + "FROM " + table + " ORDER BY id");
    }
}
