package dev.ghost.internal.table;

import dev.ghost.spi.TableSchema;

import java.util.List;

/**
 * What the inspector found about one table.
 *
 * @param schema     name and columns
 * @param tableType  {@code BASE TABLE}, {@code VIEW}, ...
 * @param engine     the storage engine, e.g. {@code InnoDB}
 * @param uniqueKeys unique indexes, primary key first
 */
public record InspectedTable(TableSchema schema, String tableType, String engine, List<UniqueKey> uniqueKeys) {

    public InspectedTable {
        uniqueKeys = List.copyOf(uniqueKeys);
    }
}
