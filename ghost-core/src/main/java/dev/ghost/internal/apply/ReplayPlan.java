package dev.ghost.internal.apply;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;

import java.util.List;

/**
 * Where replayed rows go and how they map.
 *
 * @param original      the migrated table (its events are replayed)
 * @param ghost         the ghost table (written)
 * @param changelog     the changelog table (its events carry heartbeats and markers)
 * @param sourceColumns columns of the original table that are written, as the binlog image holds them
 * @param targetColumns the ghost columns they go to, position by position
 * @param keyColumns    the shared unique key's columns in the original table
 * @param keyTargets    the same key's column names in the ghost table
 * @param keyName       the original's index on the key's columns (the replay reads the original through it), or null
 * @param deleteBeforeReplace the ghost has no unique key on exactly the key's columns: an update must delete the
 *                      row's previous version by key before replacing it
 * @param ghostColumns  the ghost's columns, for comparisons under their collations (empty: compare under the
 *                      original's)
 * @param evictionChecks unique keys of the ghost on which a REPLACE must never delete another row: the replay looks
 *                      for such a row first and reports it as data loss (empty: REPLACE as usual)
 * @param keepOtherColumns the ghost has columns the replay does not write whose values must survive an update of
 *                      their row (a revert: the columns the migration dropped): upserts update rows in place
 *                      ({@code INSERT … ON DUPLICATE KEY UPDATE}) instead of replacing them
 */
public record ReplayPlan(TableName original, TableName ghost, TableName changelog, List<ColumnSchema> sourceColumns,
                         List<String> targetColumns, List<ColumnSchema> keyColumns, List<String> keyTargets,
                         String keyName, boolean deleteBeforeReplace, List<ColumnSchema> ghostColumns,
                         List<UniqueCheck> evictionChecks, boolean keepOtherColumns) {

    public ReplayPlan {
        sourceColumns = List.copyOf(sourceColumns);
        targetColumns = List.copyOf(targetColumns);
        keyColumns = List.copyOf(keyColumns);
        keyTargets = List.copyOf(keyTargets);
        ghostColumns = List.copyOf(ghostColumns);
        evictionChecks = List.copyOf(evictionChecks);
    }

    public ReplayPlan(TableName original, TableName ghost, TableName changelog, List<ColumnSchema> sourceColumns,
                      List<String> targetColumns, List<ColumnSchema> keyColumns, List<String> keyTargets,
                      String keyName, boolean deleteBeforeReplace) {
        this(original, ghost, changelog, sourceColumns, targetColumns, keyColumns, keyTargets, keyName,
                deleteBeforeReplace, List.of(), List.of(), false);
    }

    /** The ghost's column of that name, or null when not known. */
    public ColumnSchema ghostColumn(String name) {
        return ghostColumns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /**
     * A unique key of the ghost that the original does not enforce.
     *
     * @param name          the ghost's index name
     * @param sourceColumns its columns as the original's row images hold them
     * @param targetColumns the same columns in the ghost
     */
    public record UniqueCheck(String name, List<ColumnSchema> sourceColumns, List<String> targetColumns) {
        public UniqueCheck {
            sourceColumns = List.copyOf(sourceColumns);
            targetColumns = List.copyOf(targetColumns);
        }
    }
}
