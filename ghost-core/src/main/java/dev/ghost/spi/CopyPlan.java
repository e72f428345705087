package dev.ghost.spi;

import java.util.List;

/**
 * What to copy: from which table to which, over which unique key, and which columns map to which.
 *
 * @param original      the table being migrated
 * @param ghost         the ghost table
 * @param keyName       the unique key (shared by both tables) that the copy walks, e.g. {@code PRIMARY}
 * @param keyColumns    its columns, in key order
 * @param sourceColumns the columns read from the original table
 * @param targetColumns the ghost columns they are written to, position by position
 */
public record CopyPlan(TableName original, TableName ghost, String keyName, List<String> keyColumns,
                       List<String> sourceColumns, List<String> targetColumns) {

    /**
     * Copies the lists; the source and target columns must pair up.
     *
     * @param original the table being migrated
     * @param ghost the ghost table
     * @param keyName the unique key the copy walks
     * @param keyColumns its columns, in key order
     * @param sourceColumns the columns read from the original
     * @param targetColumns the ghost columns they are written to, as many
     */
    public CopyPlan {
        keyColumns = List.copyOf(keyColumns);
        sourceColumns = List.copyOf(sourceColumns);
        targetColumns = List.copyOf(targetColumns);
        if (sourceColumns.size() != targetColumns.size()) {
            throw new IllegalArgumentException("source and target column lists differ in length");
        }
    }
}
