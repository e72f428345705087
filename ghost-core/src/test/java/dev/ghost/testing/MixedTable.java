package dev.ghost.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A table that mixes the types that break online schema changes most often: utf8mb4 text with emoji, NULLs,
 * DECIMAL, DATETIME(6), BLOB, unsigned integers. Filled server-side with a portable numbers generator (works on
 * MariaDB and MySQL alike).
 */
public final class MixedTable {

    private MixedTable() {
    }

    public static final String DEFINITION = "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
            + "name VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL, "
            + "note TEXT CHARACTER SET utf8mb4 NULL, "
            + "amount DECIMAL(14,4) NULL, "
            + "created DATETIME(6) NOT NULL, "
            + "payload BLOB NULL, "
            + "flags TINYINT UNSIGNED NOT NULL DEFAULT 0";

    /** Creates {@code table} in {@code db} with {@code rows} rows, ids 1..rows. */
    public static void create(TestDatabase db, String table, int rows) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE `" + table + "` (" + DEFINITION + ") ENGINE=InnoDB");
            String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                    + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
            for (int from = 0; from < rows; from += 100_000) {
                int count = Math.min(100_000, rows - from);
                statement.execute("INSERT INTO `" + table + "` (id, name, note, amount, created, payload, flags) "
                        + "SELECT n, CONCAT('name-', n, IF(n % 7 = 0, ' 😀 ünïcödé', '')), "
                        + "IF(n % 3 = 0, NULL, REPEAT(CONCAT('note ', n, ' '), 1 + n % 5)), "
                        + "IF(n % 11 = 0, NULL, (n * 37 % 100000) / 7), "
                        + "TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n SECOND + INTERVAL (n % 999999) MICROSECOND, "
                        + "IF(n % 4 = 0, NULL, UNHEX(SHA2(n, 256))), n % 256 "
                        + "FROM (SELECT " + from + " + 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n "
                        + "FROM " + digits + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits
                        + " f) numbers WHERE n <= " + (from + count));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
