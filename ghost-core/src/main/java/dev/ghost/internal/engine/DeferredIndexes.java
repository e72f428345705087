package dev.ghost.internal.engine;

import dev.ghost.MigrationFailedException;
import dev.ghost.internal.check.Replication;
import dev.ghost.spi.TableName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ghost table's non-unique secondary indexes, left out of the copy and built after it. Maintaining an index row by
 * row through a million inserts costs the copy about as much as the rows themselves; the server builds it afterwards
 * by sorting, online ({@code ALGORITHM=INPLACE, LOCK=NONE}), while the replay goes on. Only plain {@code KEY}s are
 * deferred: unique keys decide which rows the copy and the replay keep, and FULLTEXT/SPATIAL indexes are left as
 * they are. The definitions are taken verbatim from {@code SHOW CREATE TABLE}, and the table's definition after the
 * rebuild must read exactly as before the drop, or the migration stops.
 */
final class DeferredIndexes {

    private static final Logger log = LoggerFactory.getLogger(DeferredIndexes.class);
    static final DeferredIndexes NONE = new DeferredIndexes(null, List.of(), "");
    private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

    private final TableName ghost;
    private final List<String> definitions;
    private final String createTable;

    private DeferredIndexes(TableName ghost, List<String> definitions, String createTable) {
        this.ghost = ghost;
        this.definitions = List.copyOf(definitions);
        this.createTable = createTable;
    }

    boolean isEmpty() {
        return definitions.isEmpty();
    }

    /**
     * Drops the ghost's plain secondary indexes when they are to be deferred: as the setting says, else only on the
     * master of a server without replicas (a replica builds the index in its replication thread, which then lags
     * for as long as the build takes). Runs before the binlog is read, so the drop is not one of the statements
     * that stop a migration.
     */
    static DeferredIndexes drop(Connection connection, TableName ghost, MigrationSettings settings)
            throws SQLException {
        boolean defer = settings.deferSecondaryIndexes() != null ? settings.deferSecondaryIndexes()
                : settings.replicaMode() == Replication.Mode.ON_MASTER && withoutReplicas(connection);
        if (!defer) {
            return NONE;
        }
        String createTable = showCreateTable(connection, ghost);
        List<String> definitions = plainKeys(createTable);
        List<String> drops = definitions.stream()
                .map(definition -> "DROP INDEX " + definition.substring("KEY ".length(), definition.indexOf('`', 5) + 1))
                .toList();
        if (definitions.isEmpty()) {
            return NONE;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + ghost.quoted() + " " + String.join(", ", drops));
        } catch (SQLException e) {
            // e.g. an index a foreign key of the new table needs: build it with the copy, as usual.
            log.info("the secondary indexes of {} are built with the copy: {}", ghost, e.getMessage());
            return NONE;
        }
        log.info("{} secondary index(es) of {} are built after the copy", definitions.size(), ghost);
        return new DeferredIndexes(ghost, definitions, createTable);
    }

    /** The plain {@code KEY} lines of a table's definition, as written there, in order. */
    private static List<String> plainKeys(String createTable) {
        List<String> definitions = new ArrayList<>();
        for (String line : createTable.split("\n")) {
            String definition = line.trim();
            if (definition.endsWith(",")) {
                definition = definition.substring(0, definition.length() - 1);
            }
            if (definition.startsWith("KEY `")) {
                definitions.add(definition);
            }
        }
        return definitions;
    }

    /**
     * The deferral of a run being resumed, whose ghost table should read as {@code complete} once its indexes are
     * built and reads as {@code copying} while they are left out (the same text when none were deferred).
     */
    static DeferredIndexes resumed(TableName ghost, String complete, String copying) {
        if (withoutCounter(complete).equals(withoutCounter(copying))) {
            return NONE;
        }
        return new DeferredIndexes(ghost, plainKeys(complete), complete);
    }

    /** Whether a definition reads like this one, its AUTO_INCREMENT counter apart. */
    static boolean sameDefinition(String one, String other) {
        return withoutCounter(one).equals(withoutCounter(other));
    }

    /** The ghost's definition once its indexes are built (the one read before they were dropped). */
    String completeDefinition() {
        return createTable;
    }

    /** The statement that builds them again, as it will read in the binlog. */
    String addStatement() {
        return "ALTER TABLE " + ghost.quoted() + " " + definitions.stream().map(d -> "ADD " + d)
                .collect(Collectors.joining(", ")) + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    /** Builds the indexes and proves that the ghost's definition reads as before they were dropped. */
    void add(Connection connection) throws SQLException {
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute(addStatement());
        }
        String now = showCreateTable(connection, ghost);
        if (!withoutCounter(now).equals(withoutCounter(createTable))) {
            throw new MigrationFailedException("migration stopped: the secondary indexes of " + ghost.quoted()
                    + " were built after the copy, and the table's definition no longer reads as the ALTER made it. "
                    + "Expected:\n" + createTable + "\nfound:\n" + now + "\nNothing was cut over. Run the migration "
                    + "again with deferSecondaryIndexes(false)", null, List.of());
        }
        log.info("secondary indexes of {} built in {}", ghost,
                GoDuration.format(java.time.Duration.ofNanos(System.nanoTime() - started)));
    }

    private static String withoutCounter(String createTable) {
        return AUTO_INCREMENT.matcher(createTable).replaceAll("");
    }

    static String showCreateTable(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + table.quoted())) {
            rows.next();
            return rows.getString(2);
        }
    }

    /** Whether no replica is connected; unknown (no privilege to look) counts as having some. */
    private static boolean withoutReplicas(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet hosts = statement.executeQuery("SHOW SLAVE HOSTS")) {
            return !hosts.next();
        } catch (SQLException e) {
            return false;
        }
    }
}
