package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Foreign keys cannot follow a table through a rename-based swap: a child-side key would be dropped with the old
 * table (allowed only when the user says to discard it), and a parent-side key would keep pointing at the old table.
 */
public final class ForeignKeys {

    private ForeignKeys() {
    }

    public static void check(Connection connection, TableName table, boolean discardChildSide) throws SQLException {
        int children = childSideCount(connection, table);
        if (children > 0 && !discardChildSide) {
            throw new PreflightCheckException("foreign-keys", table.toString(), "Found " + children
                    + " child-side foreign key(s) on " + table.quoted() + ". Child-side foreign keys are not supported. "
                    + "Bailing out. Drop them first, or run with --discard-foreign-keys (discardForeignKeys) to migrate "
                    + "the table without them");
        }
        int parents = count(connection, "SELECT COUNT(DISTINCT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME) FROM "
                + "information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?",
                table);
        if (parents > 0) {
            throw new PreflightCheckException("foreign-keys", table.toString(), "Found " + parents
                    + " parent-side foreign key(s) on " + table.quoted() + ". Parent-side foreign keys are not "
                    + "supported. Bailing out. Drop the foreign keys that reference it first");
        }
    }

    /** The table's own (child-side) foreign keys: those that reference another table. */
    public static int childSideCount(Connection connection, TableName table) throws SQLException {
        return count(connection, "SELECT COUNT(DISTINCT CONSTRAINT_NAME) FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL", table);
    }

    private static int count(Connection connection, String sql, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
