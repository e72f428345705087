package dev.ghost.binlog.internal;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every type of the RowsEvent value contract, at its edges, through a real server's binlog: what the source delivers
 * must be exactly what the server stores (compared with the server's own HEX() and CAST(... AS CHAR)).
 */
@ExtendWith(RealServer.class)
class ValueDecodingTest {

    private static final String TABLE = "all_types";

    private static final String CREATE = "CREATE TABLE " + TABLE + " ("
            + "id INT PRIMARY KEY,"
            + "ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,"
            + "mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,"
            + "b1 BIT(1), b10 BIT(10), b64 BIT(64),"
            + "d DECIMAL(65,30), d2 DECIMAL(10,2), d0 DECIMAL(5,0), f FLOAT, db DOUBLE,"
            + "y YEAR, dt DATE, tm TIME(3), tm0 TIME, tm6 TIME(6), tm1 TIME(1), dtm DATETIME(6), dtm0 DATETIME,"
            + "dtm3 DATETIME(3), ts TIMESTAMP(6) NULL DEFAULT NULL, ts0 TIMESTAMP NULL DEFAULT NULL,"
            + "e ENUM('a','it''s','back\\\\slash','x,y','Upper'), st SET('r','w','x'),"
            + "c CHAR(10) CHARACTER SET utf8mb4, vc VARCHAR(100) CHARACTER SET utf8mb4,"
            + "vl VARCHAR(50) CHARACTER SET latin1, vg VARCHAR(50) CHARACTER SET gbk, tx TEXT, ltx LONGTEXT,"
            + "bn BINARY(8), vb VARBINARY(20), bl BLOB,"
            + "j JSON, g POINT, geo GEOMETRY,"
            + "gv INT AS (i + 1) VIRTUAL, gs INT AS (i * 2) STORED"
            + ") DEFAULT CHARSET utf8mb4";

    private static final String COLUMNS = "id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, b1, b10, b64, d, d2, d0, f,"
            + " db, y, dt, tm, tm0, tm6, tm1, dtm, dtm0, dtm3, ts, ts0, e, st, c, vc, vl, vg, tx, ltx, bn, vb, bl, j,"
            + " g, geo";

    private static final String MIN_ROW = "(1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,"
            + " -9223372036854775808, 0, b'0', b'0', b'0',"
            + " -99999999999999999999999999999999999.999999999999999999999999999999, -12345678.90, -99999,"
            + " -1.5, -2.5e300, 1901, '1000-01-01', '-838:59:59.000', '-00:00:01', '-00:00:00.000001', '-01:02:03.4',"
            + " '1000-01-01 00:00:00.000000', '1000-01-01 00:00:00', '1000-01-01 00:00:00.001',"
            + " '1970-01-01 05:30:01.000000', '1970-01-01 05:30:01',"
            + " 'a', '', 'a', _utf8mb4 x'F09F9880', _latin1 x'E9', _gbk x'D6D0CEC4', '', '',"
            + " x'6162', x'00FF00', x'', '{\"a\": [1, 2.5, \"x\"], \"b\": null}',"
            + " ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)'))";

    private static final String MAX_ROW = "(2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,"
            + " 9223372036854775807, 18446744073709551615, b'1', b'1111111111', x'8000000000000001',"
            + " 99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99, 99999,"
            + " 3.4028235e38, 1.7976931348623157e308, 2155, '9999-12-31', '838:59:59.999', '838:59:59',"
            + " '-838:59:58.999999', '-00:00:00.5',"
            + " '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59', '2024-02-29 13:14:15.123',"
            + " '2038-01-19 08:44:07.999999', '2038-01-19 08:44:07',"
            + " 'Upper', 'r,w,x', 'trailing  ', CONCAT('caf', _utf8mb4 x'C3A9', ' ', _utf8mb4 x'F09F988A'),"
            + " _latin1 x'C0FF', _gbk x'B0A1', REPEAT('t', 1000), REPEAT(_utf8mb4 x'F09F9880', 20000),"
            + " x'0001000000000000', x'FFFFFFFFFFFFFFFFFFFF', x'00000000',"
            + " '[\"\\\\u00e9\", {\"k\": 1e3}]', ST_GeomFromText('POINT(-1.5 1e10)'),"
            + " ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'))";

    private static final String NULL_ROW = "(3" + ", NULL".repeat(43) + ")";

    private static final String ODD_ROW = "(4, 0, 1, 0, 1, 0, 1, 0, 1, 0, 9223372036854775808, b'0', b'0000000001',"
            + " b'0', 0, 0, 0, 0, -0.0, 0, '0000-00-00', '-00:00:00.500', '00:00:00', '12:34:56.000001',"
            + " '23:59:59.9', '0000-00-00 00:00:00.000000', '2020-00-15 00:00:00', '2020-02-00 10:00:00.5',"
            + " '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'it''s', 'w', '', '', '', '', NULL, NULL,"
            + " x'0000000000000000', x'', NULL, '\"\"', NULL, NULL)";

    @Test
    void deliversEveryTypeExactlyAsStored(TestDatabase db) throws Exception {
        db.execute(CREATE);
        TableSchema schema = Schemas.read(db, TABLE);
        // the server's own quoting of labels, read back by the parser the ENUM converter uses
        assertThat(TypeLabels.parse(schema.column("e").orElseThrow().columnType()))
                .containsExactly("a", "it's", "back\\slash", "x,y", "Upper");
        RecordingSink sink = new RecordingSink();
        try (BinlogEventSource source = new BinlogEventSource(StreamSettings.defaults());
             Connection session = db.connect(); Statement sql = session.createStatement()) {
            source.start(Sources.context(db.server(), List.of(schema), null), sink);
            // the session's zone is not UTC, so TIMESTAMPs written here must still come out in UTC
            sql.execute("SET time_zone = '+05:30', sql_mode = ''");
            for (String row : List.of(MIN_ROW, MAX_ROW, NULL_ROW, ODD_ROW)) {
                sql.execute("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES " + row);
            }
            Map<Integer, List<String>> stored = serverView(session, schema);

            List<RowsEvent> inserts = sink.next(4);
            assertThat(inserts).allSatisfy(e -> assertThat(e.kind()).isEqualTo(RowsEvent.Kind.INSERT));
            Map<Integer, List<String>> delivered = new TreeMap<>();
            for (RowsEvent insert : inserts) {
                assertThat(insert.before()).isEmpty();
                for (Object[] row : insert.after()) {
                    delivered.put(((Long) row[0]).intValue(), deliveredView(schema, row));
                }
            }
            assertThat(delivered).containsExactlyEntriesOf(stored);

            Object[] min = inserts.get(0).after().get(0);
            Object[] max = inserts.get(1).after().get(0);
            Object[] nulls = inserts.get(2).after().get(0);
            Object[] odd = inserts.get(3).after().get(0);
            assertJavaTypes(schema, min, max, odd);
            assertThat(java.util.Arrays.stream(nulls).skip(1).filter(v -> v != null)).isEmpty();

            // UPDATE: before and after images; DELETE: the before image
            sql.execute("UPDATE " + TABLE + " SET tiu = 254, vl = _latin1 x'DF', tm = '-12:00:00.250', j = NULL,"
                    + " e = 'x,y' WHERE id = 1");
            Map<Integer, List<String>> updated = serverView(session, schema);
            RowsEvent update = sink.next();
            assertThat(update.kind()).isEqualTo(RowsEvent.Kind.UPDATE);
            assertThat(deliveredView(schema, update.before().get(0))).isEqualTo(stored.get(1));
            assertThat(deliveredView(schema, update.after().get(0))).isEqualTo(updated.get(1));
            assertThat(value(schema, update.after().get(0), "tm")).isEqualTo("-12:00:00.250");
            assertThat(value(schema, update.after().get(0), "e")).isEqualTo("x,y");

            sql.execute("DELETE FROM " + TABLE + " WHERE id = 2");
            RowsEvent delete = sink.next();
            assertThat(delete.kind()).isEqualTo(RowsEvent.Kind.DELETE);
            assertThat(delete.after()).isEmpty();
            assertThat(deliveredView(schema, delete.before().get(0))).isEqualTo(stored.get(2));
            assertThat(sink.hasFailed()).isFalse();
        }
    }

    /** Spot checks of the Java types and of values whose text form would hide a difference. */
    private static void assertJavaTypes(TableSchema schema, Object[] min, Object[] max, Object[] odd) {
        assertThat(value(schema, min, "ti")).isEqualTo(-128L);
        assertThat(value(schema, max, "tiu")).isEqualTo(255L);
        assertThat(value(schema, max, "siu")).isEqualTo(65535L);
        assertThat(value(schema, max, "miu")).isEqualTo(16777215L);
        assertThat(value(schema, max, "iu")).isEqualTo(4294967295L);
        assertThat(value(schema, min, "bi")).isEqualTo(Long.MIN_VALUE);
        assertThat(value(schema, max, "biu")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(value(schema, odd, "biu")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(value(schema, min, "biu")).isEqualTo(0L);
        assertThat(value(schema, max, "b1")).isEqualTo(1L);
        assertThat(value(schema, max, "b10")).isEqualTo(1023L);
        assertThat(value(schema, max, "b64")).isEqualTo(new BigInteger("9223372036854775809")); // unsigned, exact
        assertThat(value(schema, min, "d")).isEqualTo(new BigDecimal(
                "-99999999999999999999999999999999999.999999999999999999999999999999"));
        assertThat(((BigDecimal) value(schema, odd, "d")).scale()).isEqualTo(30);
        assertThat(value(schema, odd, "d2")).isEqualTo(new BigDecimal("0.00"));
        assertThat(value(schema, min, "f")).isEqualTo(-1.5f);
        assertThat(value(schema, max, "f")).isEqualTo(3.4028235e38f);
        assertThat(value(schema, min, "db")).isEqualTo(-2.5e300);
        assertThat(value(schema, max, "db")).isEqualTo(Double.MAX_VALUE);
        assertThat(value(schema, max, "y")).isEqualTo(2155L);
        assertThat(value(schema, odd, "y")).isEqualTo(0L);
        assertThat(value(schema, min, "tm")).isEqualTo("-838:59:59.000");
        assertThat(value(schema, min, "tm6")).isEqualTo("-00:00:00.000001");
        assertThat(value(schema, odd, "tm")).isEqualTo("-00:00:00.500");
        assertThat(value(schema, odd, "dt")).isEqualTo("0000-00-00");
        assertThat(value(schema, odd, "dtm0")).isEqualTo("2020-00-15 00:00:00");
        assertThat(value(schema, min, "ts")).isEqualTo("1970-01-01 00:00:01.000000");
        assertThat(value(schema, max, "ts")).isEqualTo("2038-01-19 03:14:07.999999");
        assertThat(value(schema, odd, "ts")).isEqualTo("0000-00-00 00:00:00.000000");
        assertThat(value(schema, min, "e")).isEqualTo("a");
        assertThat(value(schema, odd, "e")).isEqualTo("it's");
        assertThat(value(schema, min, "st")).isEqualTo("");
        assertThat(value(schema, max, "st")).isEqualTo("r,w,x");
        assertThat(value(schema, min, "vl")).isEqualTo(new byte[] {(byte) 0xE9});
        assertThat(value(schema, min, "bn")).isEqualTo(new byte[] {0x61, 0x62, 0, 0, 0, 0, 0, 0});
        assertThat(value(schema, odd, "bn")).isEqualTo(new byte[8]);
        // MariaDB logs generated columns, virtual ones included, with their computed values
        assertThat(value(schema, min, "gv")).isEqualTo(-2147483647L);
        assertThat(value(schema, min, "gs")).isEqualTo(-2147483648L); // i * 2 clamped under sql_mode ''
    }

    /** The server's own account of every column, in forms that show every bit: HEX for bytes, CAST for the rest. */
    private static Map<Integer, List<String>> serverView(Connection session, TableSchema schema) throws SQLException {
        List<String> expressions = new ArrayList<>();
        for (ColumnSchema column : schema.columns()) {
            expressions.add(serverExpression(column));
        }
        Map<Integer, List<String>> rows = new TreeMap<>();
        try (Statement sql = session.createStatement()) {
            sql.execute("SET time_zone = '+00:00'");
            try (ResultSet r = sql.executeQuery("SELECT " + String.join(", ", expressions) + " FROM " + TABLE
                    + " ORDER BY id")) {
                while (r.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= expressions.size(); i++) {
                        row.add(r.getString(i));
                    }
                    rows.put(r.getInt(1), row);
                }
            }
            sql.execute("SET time_zone = '+05:30'");
        }
        return rows;
    }

    private static String serverExpression(ColumnSchema column) {
        String name = "`" + column.name() + "`";
        return switch (column.dataType()) {
            case "bit" -> "CAST(" + name + " AS UNSIGNED)";
            case "year" -> "(" + name + " + 0)";
            case "float", "double" -> "'-'"; // asserted as Java values: the server's text form rounds
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary", "varbinary", "blob",
                 "point", "geometry", "json" -> "HEX(" + name + ")";
            default -> "CAST(" + name + " AS CHAR)";
        };
    }

    private static List<String> deliveredView(TableSchema schema, Object[] row) {
        List<String> view = new ArrayList<>();
        for (ColumnSchema column : schema.columns()) {
            Object value = row[column.index()];
            view.add(switch (column.dataType()) {
                case "float", "double" -> "-";
                case "bit" -> value == null ? null : value instanceof Long l ? Long.toUnsignedString(l) : value.toString();
                default -> text(value);
            });
        }
        return view;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().withUpperCase().formatHex(bytes);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    static Object value(TableSchema schema, Object[] row, String column) {
        return row[schema.column(column).orElseThrow().index()];
    }
}
