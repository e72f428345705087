package dev.ghost.flyway;

import dev.ghost.GhostException;
import dev.ghost.OnlineSchemaChange;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A Flyway migration that alters one table online through ghost. Name the subclass by Flyway's convention and put it
 * in a package that Flyway's locations scan; its constructor names the table and the ALTER:
 *
 * <pre>{@code
 * public class V7__Add_note_to_orders extends OnlineAlterMigration {
 *     public V7__Add_note_to_orders() {
 *         super("orders", "ADD COLUMN note VARCHAR(64) NULL");
 *     }
 * }
 * }</pre>
 *
 * Flyway runs it like any migration, once, and records it in its history table. ghost connects as
 * {@link GhostLogin#from(Context)} finds (Flyway's own url, user and password, unless ghost's properties say
 * otherwise); override {@link #login(Context)} to say it in code, and {@link #configure(OnlineSchemaChange.Builder)}
 * for ghost's other settings. After a successful cut-over the old table is dropped, as {@link GhostFlyway} explains.
 *
 * <p>When ghost refuses or fails the change, nothing of it is left behind and Flyway records the migration as failed
 * (MySQL and MariaDB cannot roll DDL back); fix the cause, run Flyway's {@code repair} and migrate again.
 *
 * <p>The checksum in Flyway's history is computed from the table and the ALTER, so that {@code validate} reports an
 * applied migration whose ALTER was edited afterwards, as it does for SQL migrations. Settings made in
 * {@link #configure(OnlineSchemaChange.Builder)} do not count: they change how the table is altered, not its result.
 */
public abstract class OnlineAlterMigration extends BaseJavaMigration {

    private final String table;
    private final String alter;

    /**
     * A migration of {@code table} by {@code alter}.
     *
     * @param table the table, in the database of Flyway's connection
     * @param alter the ALTER clauses, e.g. {@code ADD COLUMN note VARCHAR(64)}; a leading {@code ALTER TABLE name} is
     *              allowed
     * @throws NullPointerException when either is null
     */
    protected OnlineAlterMigration(String table, String alter) {
        this.table = Objects.requireNonNull(table, "table");
        this.alter = Objects.requireNonNull(alter, "alter");
    }

    /**
     * The table this migration alters.
     *
     * @return the table's name as given to the constructor
     */
    public final String table() {
        return table;
    }

    /**
     * The ALTER this migration runs.
     *
     * @return the ALTER clauses as given to the constructor
     */
    public final String alter() {
        return alter;
    }

    /**
     * Runs the ALTER online through ghost; returns once the new table is in place.
     *
     * @param context the context Flyway hands to the migration
     * @throws OnlineAlterException when the login cannot be found or ghost refuses or fails the change (then nothing
     *                              of it is left behind, and Flyway records the migration as failed with ghost's
     *                              reason); its cause is ghost's exception
     */
    @Override
    public final void migrate(Context context) throws OnlineAlterException {
        GhostLogin login;
        try {
            GhostFlyway.requireNoTransaction(context, table);
            login = login(context);
        } catch (GhostException e) {
            throw new OnlineAlterException(e);
        }
        GhostFlyway.alterOnline(login, table, alter, this::configure);
    }

    /**
     * Where ghost connects, as whom, and in which database. By default what {@link GhostLogin#from(Context)} finds;
     * override it when the password comes from somewhere else (a secrets store, the application's settings).
     *
     * @param context the context Flyway hands to the migration
     * @return the login
     * @throws GhostException when the default cannot find a value, saying which and how to supply it
     */
    protected GhostLogin login(Context context) {
        return GhostLogin.from(context);
    }

    /**
     * Sets more of ghost's settings (chunk size, throttling, listeners, ...) on the builder, which already has the
     * login, the table, the ALTER and {@code okToDropTable(true)}; anything set here wins. Does nothing by default.
     *
     * @param ghost the builder of this migration's {@link OnlineSchemaChange}
     */
    protected void configure(OnlineSchemaChange.Builder ghost) {
    }

    /**
     * Always false: ghost alters the table on connections of its own, outside any transaction of Flyway's, and MySQL
     * and MariaDB cannot roll DDL back anyway.
     *
     * @return false
     */
    @Override
    public final boolean canExecuteInTransaction() {
        return false;
    }

    /**
     * A CRC32 of the table and the ALTER, so that Flyway's {@code validate} notices an edited migration.
     *
     * @return the checksum Flyway records in its history table
     */
    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update((table + "\n" + alter).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
