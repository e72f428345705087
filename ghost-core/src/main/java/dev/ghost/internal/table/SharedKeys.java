package dev.ghost.internal.table;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableSchema;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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

    /** Keys of the table that can identify rows: no NULLable columns, no prefixes, no FLOAT or JSON. */
    public static List<UniqueKey> usable(InspectedTable table) {
        return usable(table, false);
    }

    /** Like {@link #usable(InspectedTable)}; with {@code allowNullable}, keys with NULLable columns count too. */
    public static List<UniqueKey> usable(InspectedTable table, boolean allowNullable) {
        return table.uniqueKeys().stream()
                .filter(k -> (allowNullable || !k.nullable()) && !k.prefix())
                .filter(k -> k.columns().stream().allMatch(c -> table.schema().column(c)
                        .map(col -> !UNUSABLE_TYPES.contains(col.dataType()) && !col.generated()).orElse(false)))
                .toList();
    }

    /**
     * The key the copy walks and the replay finds rows by, and whether the ghost table has a unique key on exactly
     * its columns.
     *
     * @param exactInGhost false when the ghost only has a unique key that contains these columns among others (the
     *                     ALTER widened the key): then REPLACE alone would not remove a row's previous version, and
     *                     the replay must delete by this key first
     */
    public record Choice(UniqueKey key, boolean exactInGhost) {
    }

    /**
     * The best key of the original table that the ghost table also has, with columns mapped to their ghost names by
     * {@code ghostName}: first a key on exactly the same columns; else a key whose columns a unique key of the ghost
     * contains (the original's key still identifies each row, and the ghost's wider key keeps the copy from
     * duplicating rows the replay wrote, which are identical).
     */
    public static Optional<Choice> choose(InspectedTable original, InspectedTable ghost,
                                          Function<String, Optional<String>> ghostName, boolean allowNullable) {
        Comparator<UniqueKey> preference = Comparator.comparing((UniqueKey k) -> !k.primary())
                .thenComparing(UniqueKey::nullable)
                .thenComparing(k -> !allInteger(original.schema(), k))
                .thenComparingInt(k -> k.columns().size());
        List<UniqueKey> candidates = usable(original, allowNullable).stream()
                .filter(k -> k.columns().stream().allMatch(c -> ghostName.apply(c).isPresent()))
                .toList();
        List<UniqueKey> ghostKeys = usable(ghost, allowNullable);
        Optional<UniqueKey> exact = candidates.stream()
                .filter(k -> ghostKeys.stream().anyMatch(g -> g.sameColumnsAs(inGhost(k, ghostName))))
                .min(preference);
        if (exact.isPresent()) {
            return exact.map(k -> new Choice(k, true));
        }
        return candidates.stream()
                .filter(k -> ghostKeys.stream().anyMatch(g -> containsAll(g, inGhost(k, ghostName))))
                .min(preference)
                .map(k -> new Choice(k, false));
    }

    private static UniqueKey inGhost(UniqueKey key, Function<String, Optional<String>> ghostName) {
        return new UniqueKey(key.name(), key.columns().stream().map(c -> ghostName.apply(c).orElseThrow()).toList(),
                key.nullable(), key.prefix());
    }

    private static boolean containsAll(UniqueKey outer, UniqueKey inner) {
        return inner.columns().stream().allMatch(c -> outer.columns().stream().anyMatch(c::equalsIgnoreCase));
    }

    private static boolean allInteger(TableSchema schema, UniqueKey key) {
        return key.columns().stream().allMatch(c -> schema.column(c).map(ColumnSchema::dataType)
                .map(INTEGER_TYPES::contains).orElse(false));
    }
}
