package dev.ghost.internal.trigger;

import dev.ghost.spi.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a table's triggers, checks the names they would get on the new table, and writes them onto another table.
 * The texts of the refusals are gh-ost's (scripts match them), followed by what to do.
 */
public final class TableTriggers {

    /** MySQL's and MariaDB's limit for a trigger's name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    private TableTriggers() {
    }

    /**
     * The table's triggers, in the order they fire for each timing and event: created again in this order, they
     * fire in it on the new table too (a new trigger comes after those of its timing and event).
     */
    public static List<TableTrigger> of(Connection connection, TableName table) throws SQLException {
        List<TableTrigger> triggers = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TRIGGER_NAME, ACTION_TIMING, "
                + "EVENT_MANIPULATION, ACTION_STATEMENT, SQL_MODE FROM information_schema.TRIGGERS "
                + "WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? "
                + "ORDER BY ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, TRIGGER_NAME")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    triggers.add(new TableTrigger(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5)));
                }
            }
        }
        return triggers;
    }

    /**
     * Why the triggers cannot be recreated on the new table under {@code options}' names, or empty when they can:
     * without {@code include} any trigger refuses the table; with it, a name too long or already taken in the schema
     * (trigger names are unique per schema, not per table).
     */
    public static Optional<String> refusal(Connection connection, TableName table, List<TableTrigger> triggers,
                                           TriggerOptions options) throws SQLException {
        if (triggers.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = triggers.stream().map(TableTrigger::name).toList();
        if (!options.include()) {
            return Optional.of("found triggers on " + table.quoted() + ". Tables with triggers are supported only "
                    + "when using \"include-triggers\" flag. Bailing out. Its triggers (" + String.join(",", names)
                    + ") would be missing on the new table: run with --include-triggers --trigger-suffix=<suffix> "
                    + "(includeTriggers, triggerSuffix) to create them on it under suffixed names, or drop them "
                    + "before the migration and create them again after it");
        }
        List<String> ghostNames = names.stream().map(options::ghostName).toList();
        List<String> tooLong = ghostNames.stream()
                .filter(name -> name.codePointCount(0, name.length()) > MAX_NAME_LENGTH).toList();
        if (!tooLong.isEmpty()) {
            return Optional.of("gh-ost triggers (" + String.join(",", tooLong) + ") length > " + MAX_NAME_LENGTH
                    + " characters. Bailing out. They are the names the triggers of " + table.quoted()
                    + " would get on the new table: use a shorter --trigger-suffix (triggerSuffix), or rename them");
        }
        List<String> taken = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM information_schema.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?")) {
            for (String name : ghostNames) {
                statement.setString(1, table.schema());
                statement.setString(2, name);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        taken.add(name);
                    }
                }
            }
        }
        if (!taken.isEmpty()) {
            return Optional.of("found gh-ost triggers (" + String.join(",", taken) + "). Please use a different "
                    + "suffix or drop them. Bailing out. They are the names the triggers of " + table.quoted()
                    + " would get on the new table, and trigger names are unique in schema " + table.schema());
        }
        return Optional.empty();
    }

    /**
     * The statement that creates {@code trigger} on {@code target} under {@code name}. Without a DEFINER clause: the
     * trigger runs with the privileges of the user who creates it, as gh-ost's do (keeping another definer needs
     * SUPER or SET USER); the server writes that definer into the binlog's copy of the statement.
     */
    public static String createStatement(TableTrigger trigger, String name, TableName target) {
        return "CREATE TRIGGER " + TableName.quote(name) + " " + trigger.timing() + " " + trigger.event() + " ON "
                + target.quoted() + " FOR EACH ROW " + trigger.body();
    }

    public static String dropStatement(TableName schemaOf, String name) {
        return "DROP TRIGGER IF EXISTS " + TableName.quote(schemaOf.schema()) + "." + TableName.quote(name);
    }

    /** Creates the trigger on its own session, under the sql_mode it was created with (its body runs under it). */
    public static void create(Connection connection, TableTrigger trigger, String createStatement)
            throws SQLException {
        try (PreparedStatement mode = connection.prepareStatement("SET SESSION sql_mode = ?")) {
            mode.setString(1, trigger.sqlMode() == null ? "" : trigger.sqlMode());
            mode.execute();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStatement);
        }
    }
}
