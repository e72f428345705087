package dev.ghost.spi;

import java.util.List;
import java.util.Optional;

/** A table and its columns in table order. */
public record TableSchema(TableName name, List<ColumnSchema> columns) {

    public TableSchema {
        columns = List.copyOf(columns);
    }

    public Optional<ColumnSchema> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }
}
