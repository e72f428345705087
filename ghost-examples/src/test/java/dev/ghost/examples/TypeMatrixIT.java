package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binlog fidelity at the level of a whole migration: a table with a column of every type, filled with edge values
 * (min and max, NULL, empty, emoji, trailing zero bytes, zero dates, negative and fractional times, 6-digit
 * fractions), is migrated while a writer inserts, updates (also moving the key) and deletes rows with those values,
 * in several session time zones, both while the copy is held and while it runs. Afterwards the old and the new table
 * must hold the same bytes in every column.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class TypeMatrixIT {

    private static final int PREFILLED_ROWS = 1_500;
    /** The writer's session allows zero dates; it is strict otherwise, so that no value is silently changed. */
    private static final String WRITER_SQL_MODE = "STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION";
    private static final String[] TIME_ZONES = {"'+00:00'", "'-08:00'", "'+05:45'", "'+13:00'"};

    /** A column, its definition, and the edge values (SQL expressions) that rows cycle through. */
    record Column(String name, String definition, String... values) {
    }

    private static final String MAX_DECIMAL = "99999999999999999999999999999999999.999999999999999999999999999999";

    static final List<Column> COLUMNS = List.of(
            new Column("ti", "TINYINT", "-128", "127", "0", "NULL"),
            new Column("tiu", "TINYINT UNSIGNED", "0", "255", "NULL"),
            new Column("si", "SMALLINT", "-32768", "32767", "NULL"),
            new Column("siu", "SMALLINT UNSIGNED", "0", "65535"),
            new Column("mi", "MEDIUMINT", "-8388608", "8388607", "-1", "NULL"),
            new Column("miu", "MEDIUMINT UNSIGNED", "0", "16777215"),
            new Column("i", "INT", "-2147483648", "2147483647", "NULL", "7"),
            new Column("iu", "INT UNSIGNED", "0", "4294967295", "NULL"),
            new Column("bi", "BIGINT", "-9223372036854775808", "9223372036854775807", "NULL"),
            new Column("biu", "BIGINT UNSIGNED", "0", "18446744073709551615", "9223372036854775808", "NULL"),
            new Column("d65", "DECIMAL(65,30)", MAX_DECIMAL, "-" + MAX_DECIMAL,
                    "0.000000000000000000000000000001", "0", "NULL"),
            new Column("d10", "DECIMAL(10,0)", "9999999999", "-9999999999", "0"),
            new Column("du", "DECIMAL(5,2) UNSIGNED", "999.99", "0.00", "0.01", "NULL"),
            new Column("f", "FLOAT", "3.4028234e38", "-1.1754944e-38", "1.5", "0", "NULL"),
            new Column("dbl", "DOUBLE", "1.7976931348623157e308", "-2.2250738585072014e-308", "0.1", "NULL"),
            new Column("b1", "BIT(1)", "b'0'", "b'1'", "NULL"),
            new Column("b7", "BIT(7)", "b'1010101'", "b'0'", "b'1111111'"),
            new Column("b64", "BIT(64)", "b'1111111111111111111111111111111111111111111111111111111111111111'",
                    "0x8000000000000000", "0", "NULL"),
            new Column("e", "ENUM('a','ü','😀','') CHARACTER SET utf8mb4", "'a'", "'ü'", "'😀'", "''", "NULL"),
            new Column("st", "SET('x','y','z') CHARACTER SET utf8mb4", "''", "'x,z'", "'x,y,z'", "NULL"),
            new Column("c", "CHAR(10) CHARACTER SET utf8mb4", "''", "'a'", "'😀😀'", "'abc  '", "NULL"),
            new Column("vc", "VARCHAR(300) CHARACTER SET utf8mb4", "''", "REPEAT('é', 300)", "'tail  '",
                    "CONCAT('x', CHAR(0))", "'😀 ünï'", "NULL"),
            new Column("tx", "TEXT CHARACTER SET utf8mb4", "''", "REPEAT('😀', 16383)", "'t'", "NULL", "'ok'",
                    "'b'", "'c'"),
            new Column("mt", "MEDIUMTEXT CHARACTER SET utf8mb4", "'m'", "REPEAT('ab', 40000)", "NULL", "''", "'x'",
                    "'y'", "'z'", "'w'"),
            new Column("u3", "VARCHAR(50) CHARACTER SET utf8mb3", "'ünïcödé'", "'€'", "''", "NULL"),
            new Column("l1", "VARCHAR(50) CHARACTER SET latin1", "'Grüße ÿ €'", "''", "'plain'", "NULL"),
            new Column("l1c", "CHAR(5) CHARACTER SET latin1", "'ñ'", "''", "'ab'"),
            new Column("gb", "VARCHAR(50) CHARACTER SET gbk", "'中文字符'", "''", "'abc'", "NULL"),
            new Column("bn", "BINARY(8)", "X'0102'", "X''", "X'0000000000000000'", "X'FFFFFFFFFFFFFFFF'", "NULL"),
            new Column("vbn", "VARBINARY(20)", "X'00'", "X''", "X'00FF00'", "NULL"),
            new Column("bl", "BLOB", "X''", "X'000102FF'", "REPEAT(X'00', 1000)", "NULL"),
            new Column("lbl", "LONGBLOB", "X'AB'", "NULL", "REPEAT(X'AB', 70000)", "X''", "X'00'", "X'01'",
                    "X'02'", "X'03'", "X'04'"),
            new Column("dt", "DATE", "'1000-01-01'", "'9999-12-31'", "'0000-00-00'", "'2024-02-29'", "'2020-00-00'",
                    "NULL"),
            new Column("tm", "TIME", "'-838:59:59'", "'838:59:59'", "'00:00:00'", "'-00:00:01'", "NULL"),
            new Column("tm6", "TIME(6)", "'-838:59:58.999999'", "'-00:00:00.000001'", "'12:34:56.000001'",
                    "'838:59:58.999999'"),
            new Column("dtm", "DATETIME", "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59'", "'0000-00-00 00:00:00'",
                    "NULL"),
            new Column("dtm3", "DATETIME(3)", "'2024-02-29 13:14:15.123'", "'0000-00-00 00:00:00.000'"),
            new Column("dtm6", "DATETIME(6)", "'9999-12-31 23:59:59.999999'", "'1000-01-01 00:00:00.000001'",
                    "'0000-00-00 00:00:00.000000'", "NULL"),
            new Column("ts", "TIMESTAMP NULL", "FROM_UNIXTIME(1)", "FROM_UNIXTIME(2147483647)",
                    "'0000-00-00 00:00:00'", "NULL", "NOW()"),
            new Column("ts6", "TIMESTAMP(6) NULL", "FROM_UNIXTIME(2147483647.999999)", "FROM_UNIXTIME(1.000001)",
                    "NULL", "NOW(6)"),
            new Column("y", "YEAR", "1901", "2155", "0", "NULL"),
            new Column("j", "JSON", "'{\"a\": [1, 2.5, \"😀\", null, true]}'", "'[]'", "'\"\"'", "'null'", "NULL",
                    "'{\"k\": \"\\\\u0000\"}'"),
            new Column("g", "GEOMETRY", "ST_GeomFromText('POINT(1 2)')",
                    "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')", "NULL",
                    "ST_GeomFromText('LINESTRING(0 0,1.5 -2)', 4326)"),
            new Column("p", "POINT", "ST_GeomFromText('POINT(-1.5 1e300)')", "NULL", "POINT(0, 0)"));

    /** Generated columns: the table has them, ghost must never write them. */
    private static final String GENERATED = ", gv BIGINT GENERATED ALWAYS AS (i DIV 2) VIRTUAL"
            + ", gs VARCHAR(80) CHARACTER SET utf8mb4 GENERATED ALWAYS AS (CONCAT('g', IFNULL(bi, 0))) STORED";

    private static final int EDGE_ROWS = 2 * 3 * 5 * 7 * 9;

    @Test
    void everyTypeKeepsItsExactValue(TestDatabase db) throws Exception {
        migrateUnderEdgeWrites(db, "ADD COLUMN extra INT NULL", Map.of());
    }

    @Test
    void charsetAndEnumChangesConvertLikeTheServer(TestDatabase db) throws Exception {
        String utf8 = " CHARACTER SET utf8mb4";
        migrateUnderEdgeWrites(db, "MODIFY l1 VARCHAR(50)" + utf8 + ", MODIFY l1c CHAR(5)" + utf8
                        + ", MODIFY gb VARCHAR(50)" + utf8 + ", MODIFY u3 VARCHAR(50)" + utf8
                        + ", MODIFY e VARCHAR(10)" + utf8 + ", MODIFY st VARCHAR(20)" + utf8
                        + ", MODIFY tx MEDIUMTEXT CHARACTER SET utf8mb3 NULL",
                Map.of("l1", "CONVERT(l1 USING utf8mb4)", "l1c", "CONVERT(l1c USING utf8mb4)",
                        "gb", "CONVERT(gb USING utf8mb4)", "u3", "CONVERT(u3 USING utf8mb4)",
                        "e", "CONVERT(e USING utf8mb4)", "st", "CONVERT(st USING utf8mb4)"));
    }

    private void migrateUnderEdgeWrites(TestDatabase db, String alter, Map<String, String> oldExpressions)
            throws Exception {
        createAndFill(db);
        // tx holds emoji: for the utf8mb3 variant those rows would not convert; keep tx to 3-byte text there.
        if (alter.contains("tx MEDIUMTEXT CHARACTER SET utf8mb3")) {
            db.execute("UPDATE types SET tx = 'no emoji' WHERE tx LIKE '%😀%'");
        }
        Writer writer = new Writer(db, !alter.contains("utf8mb3"));
        RunningMigration migration = OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("types").alter(alter)
                .chunkSize(50)
                .build()
                .start();
        try {
            migration.throttle();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofMinutes(1));
            // The copy is held: these rows change before the copy reads them.
            writer.writeRound(300);
            migration.unthrottle();
            while (migration.status().state() == MigrationState.COPYING) {
                writer.writeRound(20);
            }
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            // The copy is done: these changes reach the ghost table through the binlog only.
            writer.writeRound(300);
            writer.everyEdgeRowThroughTheBinlog();
        } finally {
            writer.close();
        }
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(Duration.ofMinutes(2));
        assertThat(result.eventsApplied()).isGreaterThan(600);
        assertThat(writer.statements).isGreaterThan(600);

        List<String> names = COLUMNS.stream().map(Column::name).toList();
        List<String> all = new ArrayList<>(names);
        all.add("gv");
        all.add("gs");
        List<List<String>> before = content(db, "_types_del", all, oldExpressions);
        List<List<String>> after = content(db, "types", all, Map.of());
        assertThat(before).hasSizeGreaterThan(PREFILLED_ROWS / 2);
        for (int row = 0; row < Math.min(before.size(), after.size()); row++) {
            assertThat(after.get(row)).as("row with id " + before.get(row).get(0)).isEqualTo(before.get(row));
        }
        assertThat(after).hasSameSizeAs(before);
        for (Column column : COLUMNS) {
            if (isNumeric(column)) {
                assertThat(db.queryLong("SELECT COUNT(*) FROM _types_del o JOIN types n USING (id) WHERE NOT (o."
                        + column.name + " <=> n." + column.name + ")")).as(column.name).isZero();
            }
        }
    }

    private static boolean isNumeric(Column column) {
        return column.definition.matches("(TINY|SMALL|MEDIUM|BIG)?INT\\b.*|DECIMAL.*|FLOAT|DOUBLE");
    }

    private static void createAndFill(TestDatabase db) throws SQLException {
        StringBuilder create = new StringBuilder("CREATE TABLE types (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY");
        for (Column column : COLUMNS) {
            create.append(", ").append(column.name).append(' ').append(column.definition);
        }
        create.append(GENERATED).append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION sql_mode = '" + WRITER_SQL_MODE + "', time_zone = '+00:00'");
            statement.execute(create.toString());
            for (int id = 1; id <= PREFILLED_ROWS; id++) {
                statement.addBatch("INSERT INTO types (id, " + String.join(", ", names()) + ") VALUES (" + id
                        + ", " + String.join(", ", edgeRow(id % EDGE_ROWS, true)) + ")");
                if (id % 100 == 0) {
                    statement.executeBatch();
                }
            }
            statement.executeBatch();
        }
    }

    private static List<String> names() {
        return COLUMNS.stream().map(Column::name).toList();
    }

    /** The k-th edge row: each column cycles through its values at its own pace. */
    static List<String> edgeRow(int k, boolean emoji) {
        List<String> values = new ArrayList<>(COLUMNS.size());
        for (Column column : COLUMNS) {
            String value = column.values[Math.floorMod(k, column.values.length)];
            if (!emoji && column.name.equals("tx") && value.contains("😀")) {
                value = "'no emoji'";
            }
            values.add(value);
        }
        return values;
    }

    /** Every column in a byte-exact form: HEX for strings, binaries and bits; the literal for numbers and times. */
    private static List<List<String>> content(TestDatabase db, String table, List<String> columns,
                                              Map<String, String> expressions) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id");
        for (String name : columns) {
            String expression = expressions.getOrDefault(name, name);
            Column column = COLUMNS.stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
            String type = column == null ? "" : column.definition.toUpperCase();
            boolean literal = column != null && (isNumeric(column) || type.startsWith("DATE")
                    || type.startsWith("TIME") || type.startsWith("YEAR"));
            String form = literal ? "CAST(" + expression + " AS CHAR)" : "HEX(" + expression + ")";
            sql.append(", IF(").append(name).append(" IS NULL, 'NULL', ").append(form).append(")");
        }
        sql.append(" FROM ").append(table).append(" ORDER BY id");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet rows = statement.executeQuery(sql.toString())) {
                List<List<String>> content = new ArrayList<>();
                while (rows.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size() + 1; i++) {
                        row.add(rows.getString(i));
                    }
                    content.add(row);
                }
                return content;
            }
        }
    }

    /** One connection writing edge rows: inserts, updates of every column, key moves and deletes. */
    private static final class Writer implements AutoCloseable {

        private final Connection connection;
        private final Statement statement;
        private final Random random = new Random(20240229);
        private final boolean emoji;
        private int statements;
        private int nextKeyMove = 1_000_000;

        Writer(TestDatabase db, boolean emoji) throws SQLException {
            this.connection = db.connect();
            this.statement = connection.createStatement();
            this.emoji = emoji;
            statement.execute("SET SESSION sql_mode = '" + WRITER_SQL_MODE + "'");
        }

        void writeRound(int count) throws SQLException {
            for (int n = 0; n < count; n++) {
                statement.execute("SET SESSION time_zone = " + TIME_ZONES[random.nextInt(TIME_ZONES.length)]);
                int id = 1 + random.nextInt(PREFILLED_ROWS);
                int edge = random.nextInt(EDGE_ROWS);
                int choice = random.nextInt(100);
                if (choice < 30) {
                    insert(edge);
                } else if (choice < 70) {
                    update("id = " + id, edge);
                } else if (choice < 80) {
                    execute("UPDATE types SET id = " + (-nextKeyMove++) + " WHERE id = " + id); // never an auto-increment id
                } else {
                    execute("DELETE FROM types WHERE id = " + id);
                }
            }
        }

        /** Inserts each edge row, updates it to the next one, and deletes every third: all through the binlog. */
        void everyEdgeRowThroughTheBinlog() throws SQLException {
            for (int edge = 0; edge < EDGE_ROWS; edge++) {
                statement.execute("SET SESSION time_zone = " + TIME_ZONES[edge % TIME_ZONES.length]);
                insert(edge);
                try (ResultSet key = statement.executeQuery("SELECT LAST_INSERT_ID()")) {
                    key.next();
                    long id = key.getLong(1);
                    update("id = " + id, edge + 1);
                    if (edge % 3 == 0) {
                        execute("DELETE FROM types WHERE id = " + id);
                    }
                }
            }
        }

        private void insert(int edge) throws SQLException {
            execute("INSERT INTO types (" + String.join(", ", names()) + ") VALUES ("
                    + String.join(", ", edgeRow(edge, emoji)) + ")");
        }

        private void update(String where, int edge) throws SQLException {
            List<String> values = edgeRow(edge, emoji);
            StringBuilder set = new StringBuilder();
            for (int i = 0; i < COLUMNS.size(); i++) {
                set.append(i == 0 ? "" : ", ").append(COLUMNS.get(i).name).append(" = ").append(values.get(i));
            }
            execute("UPDATE types SET " + set + " WHERE " + where);
        }

        private void execute(String sql) throws SQLException {
            statement.execute(sql);
            statements++;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
