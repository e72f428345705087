package dev.ghost.flyway;

import dev.ghost.GhostException;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.SchemaChangeResult;

import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs an online ALTER through ghost from inside any Flyway Java migration:
 *
 * <pre>{@code
 * public class V9__Index_orders_by_customer extends BaseJavaMigration {
 *     public boolean canExecuteInTransaction() {
 *         return false; // ghost works on connections of its own, outside Flyway's transaction
 *     }
 *
 *     public void migrate(Context context) throws SQLException {
 *         GhostFlyway.alterOnline(context, "orders", "ADD INDEX idx_customer (customer_id)");
 *     }
 * }
 * }</pre>
 *
 * A migration that only alters one table is shorter as an {@link OnlineAlterMigration}. Failures are thrown as an
 * {@link OnlineAlterException}, so that Flyway's error carries ghost's reason.
 *
 * <p>Unlike ghost's own default, the old table is dropped after a successful cut-over, so that the schema ends as a
 * plain ALTER would leave it and a later migration of the same table is not refused by the leftover
 * {@code _<table>_del}; keep it with {@code ghost.okToDropTable(false)}.
 */
public final class GhostFlyway {

    private static final Logger LOG = LoggerFactory.getLogger(GhostFlyway.class);

    private GhostFlyway() {
    }

    /**
     * Alters {@code table} online, with the login {@link GhostLogin#from(Context)} finds.
     *
     * @param context the context Flyway hands to the migration
     * @param table   the table, in the database of Flyway's connection
     * @param alter   the ALTER clauses, e.g. {@code ADD COLUMN note VARCHAR(64)}
     * @return ghost's result, once the new table is in place
     * @throws OnlineAlterException when the login cannot be found, when Flyway runs the migration inside a
     *                              transaction, or when ghost refuses or fails the change (then nothing of it is left
     *                              behind); its cause is ghost's exception
     */
    public static SchemaChangeResult alterOnline(Context context, String table, String alter)
            throws OnlineAlterException {
        return alterOnline(context, table, alter, ghost -> { });
    }

    /**
     * Alters {@code table} online, with the login {@link GhostLogin#from(Context)} finds and settings of the caller's.
     *
     * @param context  the context Flyway hands to the migration
     * @param table    the table, in the database of Flyway's connection
     * @param alter    the ALTER clauses, e.g. {@code ADD COLUMN note VARCHAR(64)}
     * @param settings sets more of ghost's settings (chunk size, throttling, listeners, ...) on the builder, which
     *                 already has the login, the table and the ALTER
     * @return ghost's result, once the new table is in place
     * @throws OnlineAlterException when the login cannot be found, when Flyway runs the migration inside a
     *                              transaction, or when ghost refuses or fails the change (then nothing of it is left
     *                              behind); its cause is ghost's exception
     */
    public static SchemaChangeResult alterOnline(Context context, String table, String alter,
                                                 Consumer<OnlineSchemaChange.Builder> settings)
            throws OnlineAlterException {
        GhostLogin login;
        try {
            requireNoTransaction(context, table);
            login = GhostLogin.from(context);
        } catch (GhostException e) {
            throw new OnlineAlterException(e);
        }
        return alterOnline(login, table, alter, settings);
    }

    /**
     * Alters {@code table} online as {@code login} says.
     *
     * @param login    where ghost connects, as whom, and the database of the table
     * @param table    the table
     * @param alter    the ALTER clauses, e.g. {@code ADD COLUMN note VARCHAR(64)}
     * @param settings sets more of ghost's settings on the builder, which already has the login, the table and the
     *                 ALTER
     * @return ghost's result, once the new table is in place
     * @throws OnlineAlterException when ghost refuses the settings or refuses or fails the change (then nothing of it
     *                              is left behind); its cause is ghost's exception
     */
    public static SchemaChangeResult alterOnline(GhostLogin login, String table, String alter,
                                                 Consumer<OnlineSchemaChange.Builder> settings)
            throws OnlineAlterException {
        SchemaChangeResult result;
        try {
            OnlineSchemaChange.Builder ghost = builder(login).table(table).alter(alter);
            settings.accept(ghost);
            OnlineSchemaChange change = ghost.build();
            LOG.info("Flyway migration: altering {} online through ghost as {}: {}", change.table(), login.user(),
                    alter);
            result = change.run();
        } catch (GhostException e) {
            // Flyway's own advice on a failed non-transactional migration is to restore backups: not needed here.
            LOG.error("Flyway migration: ghost did not alter {}.{}: {}\nThe table is as it was, and ghost dropped the "
                    + "tables it had created (its message names any it could not). Once the cause is fixed, run "
                    + "Flyway's repair (it removes the failed row from the schema history) and migrate again",
                    login.database(), table, e.getMessage());
            throw new OnlineAlterException(e);
        }
        LOG.info("Flyway migration: {} altered online: {} rows copied, {} binlog row events applied, "
                        + "table locked {} ms at the cut-over, {} in all", result.table(), result.rowsCopied(),
                result.eventsApplied(), result.cutoverLockTime().toMillis(), result.totalTime());
        return result;
    }

    /**
     * A ghost builder with the login's server, user, password and database, and the old table dropped after a
     * successful cut-over; the caller adds the table, the ALTER and any other setting.
     *
     * @param login where ghost connects, as whom, and the database of the table
     * @return the builder
     */
    public static OnlineSchemaChange.Builder builder(GhostLogin login) {
        Objects.requireNonNull(login, "login");
        return OnlineSchemaChange.builder()
                .connection(login.server(), login.user(), login.password())
                .database(login.database())
                .okToDropTable(true);
    }

    /**
     * ghost swaps the table with a RENAME on connections of its own: inside a transaction of Flyway's that has touched
     * the table, the swap would wait for that transaction's locks until it gave up.
     */
    static void requireNoTransaction(Context context, String table) {
        boolean autoCommit;
        try {
            autoCommit = context.getConnection().getAutoCommit();
        } catch (SQLException e) {
            throw new GhostException("ghost cannot tell whether Flyway runs the migration of " + table
                    + " inside a transaction: " + e.getMessage(), e);
        }
        if (!autoCommit) {
            throw new GhostException("Flyway runs this migration of " + table + " inside a transaction, and ghost's "
                    + "online ALTER must run outside it (its cut-over would wait for the transaction's locks): make "
                    + "the migration's canExecuteInTransaction() return false, or extend OnlineAlterMigration");
        }
    }
}
