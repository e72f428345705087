package dev.ghost.internal.engine;

import dev.ghost.PreflightCheckException;
import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.copy.WarningGuard;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.SharedKeys;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.internal.table.UniqueKey;
import dev.ghost.internal.verify.ChecksumColumns;
import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The preparation phase: creates the changelog and the altered ghost table, then decides how rows go from the
 * original to the ghost (the shared unique key, the column mapping) and whether the data-loss guard is on.
 */
final class GhostTablePreparer {

    private static final Logger log = LoggerFactory.getLogger(GhostTablePreparer.class);
    /** ER_INVALID_DEFAULT: "Invalid default value for 'c'". */
    private static final int ER_INVALID_DEFAULT = 1067;
    private static final Pattern AUTO_INCREMENT_OPTION = Pattern.compile("\\bAUTO_INCREMENT=(\\d+)");

    private final MigrationSettings settings;
    private final ServerConnections connections;
    private final CreatedTables createdTables;
    private InstantDdl.Outcome instantProbe;

    GhostTablePreparer(MigrationSettings settings, ServerConnections connections, CreatedTables createdTables) {
        this.settings = settings;
        this.connections = connections;
        this.createdTables = createdTables;
    }

    Prepared prepare(Inspection inspection) throws SQLException {
        TableName table = settings.table();
        TableName ghostName = settings.ghostTable();
        Changelog changelog = new Changelog(settings.changelogTable());
        try (Connection connection = connections.open()) {
            createdTables.add(changelog.table());
            changelog.create(connection);
            createdTables.add(ghostName);
            OptionalLong autoIncrement = autoIncrement(connection, table);
            String alter = inspection.alter().clauses();
            if (!settings.allowZeroInDate()) {
                // As gh-ost: the new table's definition is checked by the server's own rules, so a zero DEFAULT that
                // its NO_ZERO_DATE / NO_ZERO_IN_DATE forbid is refused now, not kept against them. The copy and the
                // replay sessions still allow zero dates: they only write values the server already stored.
                execute(connection, "SET SESSION sql_mode = @@GLOBAL.sql_mode");
            }
            try {
                execute(connection, "CREATE TABLE " + ghostName.quoted() + " LIKE " + table.quoted());
                if (!probedInstantly(connection, ghostName, alter)) {
                    execute(connection, "ALTER TABLE " + ghostName.quoted() + " " + alter);
                }
            } catch (SQLException e) {
                throw new PreflightCheckException("alter", table.toString(), "cannot migrate " + table.quoted()
                        + ": the ALTER failed on the ghost table "
                        + ghostName.quoted() + ": " + e.getMessage() + " (ALTER: " + alter + ")"
                        + zeroDateHint(connection, e), e);
            }
            // The new table continues the original's counter, as gh-ost does, unless the ALTER sets its own: CREATE
            // TABLE ... LIKE does not copy it, and the copied rows alone would restart it after the highest id left,
            // reusing the ids of deleted rows. Rows inserted meanwhile move it further through the replay's ids.
            if (autoIncrement.isPresent() && !inspection.alter().setsAutoIncrement()) {
                execute(connection, "ALTER TABLE " + ghostName.quoted() + " AUTO_INCREMENT="
                        + autoIncrement.getAsLong());
            }
            log.info("ghost table {} created and altered", ghostName);
            return describe(connection, inspection, () -> settings.dryRun() ? DeferredIndexes.NONE
                    : DeferredIndexes.drop(connection, ghostName, settings));
        }
    }

    /**
     * Whether the server accepted ALGORITHM=INSTANT on the ghost table, when it should be asked: where
     * {@code attemptInstantDdl} must not change the original (a dry run, a test on a replica), the ghost table, a
     * copy of its definition, tells whether the server would take the ALTER instantly. A prediction: the original's
     * row format or earlier instant changes may still make it refuse. On refusal the caller runs the plain ALTER.
     */
    private boolean probedInstantly(Connection connection, TableName ghostName, String alter) throws SQLException {
        if (!settings.attemptInstantDdl() || !(settings.dryRun()
                || settings.replicaMode() == dev.ghost.internal.check.Replication.Mode.TEST_ON_REPLICA)) {
            return false;
        }
        try {
            execute(connection, InstantDdl.statement(ghostName, alter));
            instantProbe = new InstantDdl.Outcome(true, "", 1);
            log.info("ALGORITHM=INSTANT applies to this ALTER on a copy of {}'s definition: {} would most likely "
                    + "be migrated instantly", settings.table(), settings.table());
            return true;
        } catch (SQLException e) {
            if (InstantDdl.connectionLost(e)) {
                throw e;
            }
            instantProbe = new InstantDdl.Outcome(false, e.getMessage(), 1);
            log.info("ALGORITHM=INSTANT does not apply to this ALTER ({}): {} would be migrated through the ghost "
                    + "table", e.getMessage(), settings.table());
            return false;
        }
    }

    /** What {@link #prepare} found out about ALGORITHM=INSTANT on the ghost table, when it asked. */
    Optional<InstantDdl.Outcome> instantProbe() {
        return Optional.ofNullable(instantProbe);
    }

    /**
     * The tables of a run being resumed, as they are: the ghost table and the changelog the interrupted run left,
     * already checked against its checkpoint.
     */
    Prepared resume(Inspection inspection, DeferredIndexes deferred) throws SQLException {
        try (Connection connection = connections.open()) {
            return describe(connection, inspection, () -> deferred);
        }
    }

    /** What is left of preparing once a step decides which of the ghost's indexes are built after the copy. */
    @FunctionalInterface
    private interface Deferral {
        DeferredIndexes decide() throws SQLException;
    }

    /** How rows go from the original to the ghost table, both as they are now; refuses what cannot be migrated. */
    private Prepared describe(Connection connection, Inspection inspection, Deferral deferral) throws SQLException {
        TableName table = settings.table();
        TableName ghostName = settings.ghostTable();
        Changelog changelog = new Changelog(settings.changelogTable());
        InspectedTable ghost = TableInspector.inspect(connection, ghostName).orElseThrow();
        InspectedTable changelogTable = TableInspector.inspect(connection, changelog.table()).orElseThrow();
        // gh-ost's two texts, which scripts look for: no unique key at all, or none that both tables can use.
        if (ghost.uniqueKeys().isEmpty()) {
            throw new PreflightCheckException("ghost-unique-key", table.toString(), "cannot migrate "
                    + table.quoted() + ": after the ALTER there is no PRIMARY nor UNIQUE key found in table "
                    + ghostName.quoted() + "; keep a primary key or add a unique key on non-NULL columns");
        }
        if (SharedKeys.usable(ghost, settings.allowNullableUniqueKey()).isEmpty()) {
            throw new PreflightCheckException("ghost-unique-key", table.toString(), "cannot migrate "
                    + table.quoted() + ": no shared unique key can be found after ALTER: none of the unique keys "
                    + "of " + ghostName.quoted() + " (" + keyNames(ghost) + ") can identify rows (they have "
                    + "NULLable, prefix, FLOAT, DOUBLE or JSON columns); keep a primary key or add a unique key "
                    + "on non-NULL columns");
        }
        Function<String, Optional<String>> ghostColumn = ghostColumns(inspection, ghost);
        SharedKeys.Choice choice = SharedKeys.choose(inspection.original(), ghost, ghostColumn,
                settings.allowNullableUniqueKey()).orElseThrow(() ->
                new PreflightCheckException("shared-unique-key", table.toString(), "cannot migrate "
                        + table.quoted() + ": no shared unique key can be found after ALTER; the original and the "
                        + "ghost table need a unique key on the same non-NULL columns"));
        List<ColumnSchema> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (ColumnSchema column : inspection.original().schema().columns()) {
            Optional<String> target = ghostColumn.apply(column.name());
            if (target.isPresent()) {
                sources.add(column);
                targets.add(target.get());
            }
        }
        UniqueKey key = choice.key();
        if (key.nullable() && !settings.checksum()) {
            // Rows that share a NULL in the key cannot be told apart by it: the checksum is what proves them.
            throw new PreflightCheckException("nullable-unique-key", table.toString(), "cannot migrate "
                    + table.quoted() + ": the chosen unique key " + key.name() + " (" + String.join(", ",
                    key.columns()) + ") allows NULL, and rows whose key holds a NULL cannot be told apart by it; "
                    + "ghost then relies on the checksum before the cut-over, which is off. Turn the checksum "
                    + "on (drop --checksum=false), or add a unique key on NOT NULL columns");
        }
        refuseDatetimeToTimestampInKey(inspection.original(), ghost, ghostColumn, key);
        log.info("chosen shared unique key: {} ({}){}; {} shared columns", key.name(),
                String.join(", ", key.columns()), choice.exactInGhost() ? "" : ", contained in a wider ghost key",
                sources.size());
        Guard guard = warningGuard(inspection.original(), ghost, ghostColumn, key, sources, targets);
        DeferredIndexes deferred = deferral.decide();
        return new Prepared(inspection.original(), ghost, changelogTable, key, choice.exactInGhost(), sources,
                targets, guard.warningGuard(), guard.lossAccepted(), guard.newUniqueKeys(), deferred);
    }

    /**
     * gh-ost refuses this, and so do we: the key's values change their meaning with the time zone and range of
     * TIMESTAMP, so the copy's ranges and the replay's lookups by key would no longer agree between the two tables.
     */
    private void refuseDatetimeToTimestampInKey(InspectedTable original, InspectedTable ghost,
                                                Function<String, Optional<String>> ghostColumn, UniqueKey key) {
        for (String name : key.columns()) {
            ColumnSchema before = original.schema().column(name).orElseThrow();
            ColumnSchema after = ghost.schema().column(ghostColumn.apply(name).orElseThrow()).orElseThrow();
            if (before.columnType().toLowerCase(Locale.ROOT).startsWith("datetime")
                    && after.columnType().toLowerCase(Locale.ROOT).startsWith("timestamp")) {
                throw new PreflightCheckException("datetime-to-timestamp-key", settings.table().toString(),
                        "cannot migrate " + settings.table().quoted() + ": no support at this time for converting a "
                        + "column from DATETIME to TIMESTAMP that is also part of the chosen unique key (column `"
                        + name + "`, key `" + key.name() + "`); convert it in a separate migration whose chosen key "
                        + "does not contain it, or keep it DATETIME");
            }
        }
    }

    /**
     * Where each original column's values go in the ghost table: under its new name when renamed (and approved),
     * nowhere when dropped (even if a column of that name is added again: its old values are not the new column's),
     * when skipped, or when either side is generated.
     */
    private Function<String, Optional<String>> ghostColumns(Inspection inspection, InspectedTable ghost) {
        Map<String, String> renamed = new HashMap<>();
        inspection.alter().renamedColumns().forEach((from, to) -> renamed.put(from.toLowerCase(Locale.ROOT), to));
        return name -> {
            Optional<ColumnSchema> source = inspection.original().schema().column(name);
            if (source.isEmpty() || source.get().generated()) {
                return Optional.empty();
            }
            String lower = name.toLowerCase(Locale.ROOT);
            String target;
            if (renamed.containsKey(lower)) {
                if (settings.skipRenamedColumns()) {
                    return Optional.empty();
                }
                target = renamed.get(lower);
            } else if (inspection.alter().droppedColumns().contains(lower)) {
                return Optional.empty();
            } else {
                target = name;
            }
            return ghost.schema().column(target).filter(c -> !c.generated()).map(ColumnSchema::name);
        };
    }

    /**
     * The data-loss guard, when it is on: explicitly, or by default when the ALTER adds a unique key or changes a
     * column's type (the two ways a copy with INSERT IGNORE silently drops rows or values). Duplicates are harmless
     * on ghost keys that the original already enforces on the same columns, and on the key the copy walks.
     */
    private Guard warningGuard(InspectedTable original, InspectedTable ghost,
                                                Function<String, Optional<String>> ghostColumn, UniqueKey chunkKey,
                                                List<ColumnSchema> sources, List<String> targets) {
        Set<String> harmless = new HashSet<>();
        List<UniqueKey> newUniqueKeys = new ArrayList<>();
        boolean addsUniqueKey = false;
        List<String> chunkColumns = chunkKey.columns().stream().map(c -> ghostColumn.apply(c).orElseThrow()).toList();
        for (UniqueKey ghostKey : ghost.uniqueKeys()) {
            boolean enforcedBefore = original.uniqueKeys().stream()
                    .anyMatch(o -> enforcesAlike(o, original, ghostKey, ghost, ghostColumn));
            boolean containsChunkKey = chunkColumns.stream()
                    .allMatch(c -> ghostKey.columns().stream().anyMatch(c::equalsIgnoreCase));
            if (enforcedBefore || containsChunkKey) {
                harmless.add(ghostKey.name());
            } else {
                addsUniqueKey = true;
                newUniqueKeys.add(ghostKey);
            }
        }
        boolean changesType = false;
        for (int i = 0; i < sources.size(); i++) {
            ColumnSchema before = sources.get(i);
            ColumnSchema after = ghost.schema().column(targets.get(i)).orElseThrow();
            if (!before.columnType().equalsIgnoreCase(after.columnType())
                    || !Objects.equals(before.charset(), after.charset())) {
                changesType = true;
            }
        }
        boolean on = settings.panicOnWarnings() != null ? settings.panicOnWarnings() : addsUniqueKey || changesType;
        if (on) {
            log.info("data-loss guard on (panic-on-warnings){}", settings.panicOnWarnings() != null ? ""
                    : addsUniqueKey ? ": the ALTER adds a unique key" : ": the ALTER changes a column type");
        }
        // With --panic-on-warnings=false over an ALTER that may drop rows or values, the user accepted that loss.
        boolean lossAccepted = Boolean.FALSE.equals(settings.panicOnWarnings()) && (addsUniqueKey || changesType);
        return new Guard(on ? Optional.of(new WarningGuard(harmless)) : Optional.empty(), lossAccepted,
                newUniqueKeys);
    }

    /** The data-loss guard when it is on, and whether the user accepted the loss of rows or values the ALTER drops. */
    private record Guard(Optional<WarningGuard> warningGuard, boolean lossAccepted, List<UniqueKey> newUniqueKeys) {
    }

    /**
     * Whether the original's unique key {@code before} already enforced the ghost's {@code after}: the same columns,
     * each with the same type and collation. A key on the same columns under another collation (utf8mb4_bin to
     * utf8mb4_general_ci) or type makes distinct values equal, and its duplicates are lost rows, not expected ones.
     */
    private static boolean enforcesAlike(UniqueKey before, InspectedTable original, UniqueKey after,
                                         InspectedTable ghost, Function<String, Optional<String>> ghostColumn) {
        if (before.prefix() || after.prefix() || before.columns().size() != after.columns().size()) {
            return false;
        }
        for (String column : before.columns()) { // uniqueness does not depend on the order of the key's columns
            Optional<String> mapped = ghostColumn.apply(column);
            if (mapped.isEmpty() || after.columns().stream().noneMatch(mapped.get()::equalsIgnoreCase)) {
                return false;
            }
            ColumnSchema from = original.schema().column(column).orElseThrow();
            ColumnSchema to = ghost.schema().column(mapped.get()).orElseThrow();
            if (!equalAlike(from, to)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether two values equal under {@code before}'s type are equal under {@code after}'s, and distinct ones stay
     * distinct: text in the same charset and collation (a longer VARCHAR is alike), integers of any width, and
     * otherwise exactly the same type. (Values a narrower type cuts are the guard's truncation warnings.)
     */
    static boolean equalAlike(ColumnSchema before, ColumnSchema after) {
        if (ChecksumColumns.sameType(before, after)) {
            return true;
        }
        boolean text = before.textual() && after.textual();
        if (text) {
            boolean plainText = !Set.of("enum", "set").contains(before.dataType())
                    && !Set.of("enum", "set").contains(after.dataType());
            return plainText && Objects.equals(before.charset(), after.charset())
                    && Objects.equals(before.collation(), after.collation());
        }
        return INTEGER_TYPES.contains(before.dataType()) && INTEGER_TYPES.contains(after.dataType());
    }

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    private static String keyNames(InspectedTable table) {
        return String.join(", ", table.uniqueKeys().stream().map(UniqueKey::name).toList());
    }

    /** How to keep a zero default that the server's sql_mode refused; empty for other errors. */
    private String zeroDateHint(Connection connection, SQLException e) {
        if (e.getErrorCode() != ER_INVALID_DEFAULT || settings.allowZeroInDate()) {
            return "";
        }
        String mode;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@GLOBAL.sql_mode")) {
            mode = rows.next() ? rows.getString(1) : "?";
        } catch (SQLException ignored) {
            mode = "?";
        }
        return ". The new table is created under the server's global sql_mode (" + mode + "), as gh-ost does; if "
                + "the default is a zero date, run with --allow-zero-in-date (allowZeroInDate(true)) to keep it";
    }

    /** The table's AUTO_INCREMENT counter, from SHOW CREATE TABLE (information_schema may be cached on MySQL 8). */
    static OptionalLong autoIncrement(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + table.quoted())) {
            return rows.next() ? autoIncrementOption(rows.getString(2)) : OptionalLong.empty();
        }
    }

    /** The AUTO_INCREMENT table option of a CREATE TABLE text: on the line that closes the column list. */
    static OptionalLong autoIncrementOption(String createTable) {
        for (String line : createTable.split("\n")) {
            if (line.startsWith(")")) {
                Matcher option = AUTO_INCREMENT_OPTION.matcher(line);
                return option.find() ? OptionalLong.of(Long.parseLong(option.group(1))) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
