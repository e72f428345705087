package dev.ghost.internal.engine;

import dev.ghost.internal.copy.WarningGuard;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.UniqueKey;
import dev.ghost.spi.ColumnSchema;

import java.util.List;
import java.util.Optional;

/**
 * The tables a migration works on once they exist, and how rows go from the original to the ghost table.
 *
 * @param original        the table to migrate
 * @param ghost           the altered copy being filled
 * @param changelog       the table of heartbeats and state rows
 * @param key             the unique key the copy walks and the replay finds rows by, as the original names it
 * @param keyExactInGhost whether the ghost has a unique key on exactly those columns, or only a wider one
 * @param sourceColumns   the original's columns that are copied
 * @param targetColumns   the ghost column each of them goes to, in the same order
 * @param warningGuard    the data-loss guard, when it is on
 * @param lossAccepted    the user turned the guard off for an ALTER that may drop rows or values (a new unique key,
 *                        a changed type): the tables may then differ by consent, and no checksum can hold
 * @param newUniqueKeys   the ghost's unique keys that the original does not enforce alike (new columns, or the same
 *                        columns under another type or collation): a row may conflict on them with another row
 */
record Prepared(InspectedTable original, InspectedTable ghost, InspectedTable changelog, UniqueKey key,
                boolean keyExactInGhost, List<ColumnSchema> sourceColumns, List<String> targetColumns,
                Optional<WarningGuard> warningGuard, boolean lossAccepted, List<UniqueKey> newUniqueKeys,
                DeferredIndexes deferredIndexes) {
}
