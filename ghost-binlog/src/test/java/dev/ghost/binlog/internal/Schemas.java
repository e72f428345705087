package dev.ghost.binlog.internal;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;
import dev.ghost.spi.TableSchema;
import dev.ghost.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

// Reads a table's columns from information_schema the way the engine describes them to an event source.
final class Schemas {

    private Schemas() {
    }

    static TableSchema read(TestDatabase db, String table) {
        String sql = "SELECT column_name, ordinal_position, data_type, column_type, is_nullable, character_set_name,"
                + " extra, datetime_precision, numeric_scale FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, db.name());
            s.setString(2, table);
            List<ColumnSchema> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String dataType = r.getString(3).toLowerCase(Locale.ROOT);
                    String extra = r.getString(7).toLowerCase(Locale.ROOT);
                    int fractionDigits = switch (dataType) {
                        case "time", "datetime", "timestamp" -> r.getInt(8);
                        case "decimal", "numeric" -> r.getInt(9);
                        default -> 0;
                    };
                    // column_type keeps its case: ENUM and SET labels are case-sensitive
                    columns.add(new ColumnSchema(r.getString(1), r.getInt(2) - 1, dataType, r.getString(4),
                            "YES".equals(r.getString(5)), r.getString(6),
                            extra.contains("generated") || extra.contains("virtual") || extra.contains("persistent")
                                    || extra.contains("stored"), fractionDigits));
                }
            }
            if (columns.isEmpty()) {
                throw new IllegalStateException("no table " + db.name() + "." + table);
            }
            return new TableSchema(new TableName(db.name(), table), columns);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
