package dev.ghost.internal.table;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableSchema;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the unique key that both the original and the ghost table have: the copy walks it, and the replay finds
 * rows by it. Prefers the primary key, then keys of integer columns, then the shortest.
 */
public final class SharedKeys {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    /** Types whose equality is not exact enough to identify a row. */
    private static final Set<String> UNUSABLE_TYPES = Set.of("float", "double", "json");

    private SharedKeys() {
    }

    /** Keys of the original table that can identify rows: no NULLs, no prefixes, no FLOAT or JSON. */
    public static List<UniqueKey> usable(InspectedTable table) {
        return table.uniqueKeys().stream()
                .filter(k -> !k.nullable() && !k.prefix())
                .filter(k -> k.columns().stream().allMatch(c -> table.schema().column(c)
                        .map(col -> !UNUSABLE_TYPES.contains(col.dataType()) && !col.generated()).orElse(false)))
                .toList();
    }

    /** The best key that the ghost table also has (same columns, in the same order). */
    public static Optional<UniqueKey> choose(InspectedTable original, InspectedTable ghost) {
        return usable(original).stream()
                .filter(k -> ghost.uniqueKeys().stream().anyMatch(g -> !g.prefix() && g.sameColumnsAs(k)))
                .min(Comparator.comparing((UniqueKey k) -> !k.primary())
                        .thenComparing(k -> !allInteger(original.schema(), k))
                        .thenComparingInt(k -> k.columns().size()));
    }

    private static boolean allInteger(TableSchema schema, UniqueKey key) {
        return key.columns().stream().allMatch(c -> schema.column(c).map(ColumnSchema::dataType)
                .map(INTEGER_TYPES::contains).orElse(false));
    }
}
