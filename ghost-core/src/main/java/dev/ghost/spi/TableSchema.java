package dev.ghost.spi;

import java.util.List;
import java.util.Optional;

/** A table and its columns in table order. */
public record TableSchema(TableName name, List<ColumnSchema> columns) {

    /**
     * Copies the column list.
     *
     * @param name the table
     * @param columns its columns, in table order
     */
    public TableSchema {
        columns = List.copyOf(columns);
    }

    /**
     * The column of that name.
     *
     * @param columnName the name, in any letter case (MySQL column names are case-insensitive)
     * @return the column, or empty when the table has none of that name
     */
    public Optional<ColumnSchema> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }
}
