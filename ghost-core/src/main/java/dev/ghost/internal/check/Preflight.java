package dev.ghost.internal.check;

import dev.ghost.PreflightCheckException;
import dev.ghost.internal.table.InspectedTable;
import dev.ghost.internal.table.SharedKeys;
import dev.ghost.internal.table.TableInspector;
import dev.ghost.internal.trigger.TableTrigger;
import dev.ghost.internal.trigger.TableTriggers;
import dev.ghost.internal.trigger.TriggerOptions;
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
 * The pre-flight checks, as a registry of small named steps run in a fixed order before anything is created.
 * Each refuses one thing and says what it found and how to fix it; the README lists them by name.
 */
public final class Preflight {

    /**
     * The settings the checks depend on.
     *
     * @param ghost                   the ghost table's name
     * @param old                     the old table's name ({@code _t_del})
     * @param sentry                  the atomic cut-over's sentry ({@code t_gcs}), which holds the old table for a
     *                                moment during the swap
     * @param discardForeignKeys      child-side foreign keys may be dropped with the migration
     * @param allowNullableUniqueKey  a unique key with NULLable columns may identify rows (the user vouches that
     *                                it holds no NULLs)
     * @param initiallyDropGhostTable drop a leftover ghost table instead of refusing
     * @param initiallyDropOldTable   drop a leftover old table instead of refusing
     * @param gtidPositioning         the binlog reader will start by GTID: the server must record GTIDs
     * @param replicaMode             whether the server may, or must, be a replica
     * @param readsBinlog             ghost reads this server's binlog (false: the master of a replica ghost reads,
     *                                whose own binlog format does not matter)
     * @param allowMasterMaster       on the master: it may replicate from another master
     * @param resume                  the run resumes an earlier one: its ghost table is expected (and checked against
     *                                the checkpoint elsewhere), never dropped
     * @param triggers                whether the table's triggers are recreated on the new table, and their names
     */
    public record Options(TableName ghost, TableName old, TableName sentry, boolean discardForeignKeys,
                          boolean allowNullableUniqueKey,
                          boolean initiallyDropGhostTable, boolean initiallyDropOldTable, boolean gtidPositioning,
                          Replication.Mode replicaMode, boolean readsBinlog, boolean allowMasterMaster,
                          boolean resume, TriggerOptions triggers) {
    }

    /** What the checks share: a connection, the table, the options, and what was found so far. */
    public static final class Context {
        private final Connection connection;
        private final TableName table;
        private final Options options;
        private ServerChecks.ServerInfo server;
        private InspectedTable original;

        Context(Connection connection, TableName table, Options options) {
            this.connection = connection;
            this.table = table;
            this.options = options;
        }

        public Connection connection() {
            return connection;
        }

        public TableName table() {
            return table;
        }

        public Options options() {
            return options;
        }

        /** The table, once {@code table-exists} has run. */
        public InspectedTable original() {
            return original;
        }

        PreflightCheckException refuse(String check, String message) {
            return new PreflightCheckException(check, table.toString(), message);
        }
    }

    /** One check's body; throws {@link PreflightCheckException} to refuse. */
    @FunctionalInterface
    interface Body {
        void run(Context context) throws SQLException;
    }

    /**
     * A named check.
     *
     * @param name     what operators and exceptions call it
     * @param refuses  one line on what it refuses (the README's list)
     */
    public record Check(String name, String refuses, Body body) {
    }

    /** Every check, in the order they run. */
    public static final List<Check> CHECKS = List.of(
            new Check("server-version", "servers older than MySQL 5.7 or MariaDB 10.3",
                    Preflight::serverVersion),
            new Check("privileges", "a user without the grants a migration needs; names each missing grant",
                    Privileges::check),
            new Check("binlog", "a server with the binary log off, not in ROW format, or without FULL row images",
                    context -> context.server = context.options().readsBinlog()
                            ? ServerChecks.verifyBinlog(context.connection(), context.table())
                            : ServerChecks.info(context.connection())),
            new Check("gtid", "with GTID positioning (--gtid): a MySQL server without gtid_mode=ON and "
                    + "enforce_gtid_consistency=ON (MariaDB always records GTIDs)", context -> {
                        if (context.options().gtidPositioning()) {
                            GtidPositioning.check(context.connection(), context.table(), context.server.mariadb());
                        }
                    }),
            new Check("replication", "a server that replicates from another, unless testing or migrating on a replica "
                    + "(--test-on-replica, --migrate-on-replica); with those: a server that is no replica, has "
                    + "several sources, a stopped SQL thread, or log_slave_updates off",
                    context -> Replication.check(context.connection(), context.table(),
                            context.options().replicaMode(), context.server.mariadb(),
                            context.options().allowMasterMaster())),
            new Check("table-exists", "a table that does not exist", Preflight::tableExists),
            new Check("base-table", "views and other non-base tables", context -> {
                if (!"BASE TABLE".equalsIgnoreCase(context.original.tableType())) {
                    throw context.refuse("base-table", context.table.quoted() + " is a "
                            + context.original.tableType() + ", not a table; only base tables can be migrated");
                }
            }),
            new Check("innodb", "tables of other engines than InnoDB", context -> {
                if (!"InnoDB".equalsIgnoreCase(context.original.engine())) {
                    throw context.refuse("innodb", context.table.quoted() + " uses the " + context.original.engine()
                            + " engine; only InnoDB tables can be migrated online (convert it first with "
                            + "ALTER TABLE ... ENGINE=InnoDB)");
                }
            }),
            new Check("foreign-keys", "child-side foreign keys (unless discarded) and parent-side foreign keys",
                    context -> ForeignKeys.check(context.connection(), context.table(),
                            context.options().discardForeignKeys())),
            new Check("triggers", "tables with triggers, unless included (--include-triggers); with them: trigger "
                    + "names for the new table longer than 64 characters or already taken in the schema",
                    Preflight::triggers),
            new Check("unique-key", "tables without a unique key that identifies rows: NOT NULL (unless allowed), "
                    + "no prefix, no FLOAT, DOUBLE or JSON columns", Preflight::uniqueKey),
            new Check("leftover-tables", "a ghost table, old table or cut-over sentry left by an earlier run (unless "
                    + "told to drop it)",
                    Preflight::leftovers));

    private Preflight() {
    }

    /** Runs every check in order; returns the inspected table. */
    public static InspectedTable run(Connection connection, TableName table, Options options) throws SQLException {
        Context context = new Context(connection, table, options);
        for (Check check : CHECKS) {
            check.body().run(context);
        }
        return context.original;
    }

    private static void serverVersion(Context context) throws SQLException {
        try (Statement statement = context.connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@version, @@version_comment")) {
            rows.next();
            String version = rows.getString(1);
            boolean mariadb = (version + " " + rows.getString(2)).toLowerCase().contains("mariadb");
            int[] parts = versionParts(version);
            boolean tooOld = mariadb ? compare(parts, 10, 3) < 0 : compare(parts, 5, 7) < 0;
            if (tooOld) {
                throw context.refuse("server-version", "cannot migrate " + context.table().quoted() + " on "
                        + version + ": ghost needs MySQL 5.7 or later, or MariaDB 10.3 or later");
            }
        }
    }

    static int[] versionParts(String version) {
        String[] numbers = version.replaceAll("^(\\d+)\\.(\\d+).*$", "$1 $2").split(" ");
        try {
            return new int[] {Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1])};
        } catch (RuntimeException e) {
            return new int[] {0, 0};
        }
    }

    private static int compare(int[] version, int major, int minor) {
        return version[0] != major ? Integer.compare(version[0], major) : Integer.compare(version[1], minor);
    }

    private static void tableExists(Context context) throws SQLException {
        Optional<InspectedTable> found = TableInspector.inspect(context.connection(), context.table());
        context.original = found.orElseThrow(() -> context.refuse("table-exists", "table "
                + context.table().quoted() + " does not exist; check --database and --table"));
    }

    private static void triggers(Context context) throws SQLException {
        List<TableTrigger> triggers = TableTriggers.of(context.connection(), context.table());
        Optional<String> refusal = TableTriggers.refusal(context.connection(), context.table(), triggers,
                context.options().triggers());
        if (refusal.isPresent()) {
            throw context.refuse("triggers", refusal.get());
        }
    }

    private static void uniqueKey(Context context) {
        // gh-ost's two texts, which scripts look for: no unique key at all, or none that can be used.
        if (context.original.uniqueKeys().isEmpty()) {
            throw context.refuse("unique-key", "cannot migrate " + context.table().quoted()
                    + ": no PRIMARY nor UNIQUE key found in table " + context.table().quoted()
                    + "; add a primary key first");
        }
        if (SharedKeys.usable(context.original, context.options().allowNullableUniqueKey()).isEmpty()) {
            boolean onlyNullable = !SharedKeys.usable(context.original, true).isEmpty();
            throw context.refuse("unique-key", "cannot migrate " + context.table().quoted()
                    + ": no shared unique key can be found: none of its unique keys ("
                    + String.join(", ", context.original.uniqueKeys().stream().map(k -> k.name()).toList())
                    + ") can identify rows"
                    + (onlyNullable ? " (they have NULLable columns; if those hold no NULLs, run with "
                    + "--allow-nullable-unique-key)" : " (they have prefix, FLOAT, DOUBLE or JSON columns)")
                    + "; add a primary key first");
        }
    }

    /** Refuses before dropping anything, so that a refusal leaves every table as it was. */
    private static void leftovers(Context context) throws SQLException {
        List<TableName> toDrop = new ArrayList<>();
        if (!context.options().resume()) {
            leftover(context, context.options().ghost(), "", context.options().initiallyDropGhostTable(),
                    "--initially-drop-ghost-table (initiallyDropGhostTable)", toDrop);
        }
        leftover(context, context.options().old(), "", context.options().initiallyDropOldTable(),
                "--initially-drop-old-table (initiallyDropOldTable)", toDrop);
        // The sentry takes the old table's place for a moment: a crash then leaves the old table under its name.
        leftover(context, context.options().sentry(), " (the atomic cut-over's sentry, or the old table of a "
                + "cut-over that stopped halfway: check its content)", context.options().initiallyDropOldTable(),
                "--initially-drop-old-table (initiallyDropOldTable)", toDrop);
        try (Statement statement = context.connection().createStatement()) {
            for (TableName table : toDrop) {
                statement.execute("DROP TABLE IF EXISTS " + table.quoted());
            }
        }
    }

    private static void leftover(Context context, TableName leftover, String what, boolean drop, String option,
                                 List<TableName> toDrop) throws SQLException {
        if (TableInspector.inspect(context.connection(), leftover).isEmpty()) {
            return;
        }
        if (!drop) {
            throw context.refuse("leftover-tables", "table " + leftover.quoted() + " already exists" + what
                    + " (left by an earlier migration of " + context.table() + "?); drop it, or run with " + option);
        }
        toDrop.add(leftover);
    }
}
