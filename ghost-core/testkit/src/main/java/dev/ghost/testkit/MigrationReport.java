package dev.ghost.testkit;

import dev.ghost.SchemaChangeResult;
import dev.ghost.testkit.internal.RowComparison;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a {@link MigrationUnderTest#run() migration} did: ghost's result, the writers' counts, and the check that no
 * row was lost or changed.
 */
public final class MigrationReport {

    private final SchemaChangeLab lab;
    private final String table;
    private final String alter;
    private final SchemaChangeResult result;
    private final long writes;
    private final String writesByKind;
    private final long rejectedWrites;
    private final String rejectedByCode;

    MigrationReport(SchemaChangeLab lab, String table, String alter, SchemaChangeResult result, long writes,
                    String writesByKind, long rejectedWrites, String rejectedByCode) {
        this.lab = lab;
        this.table = table;
        this.alter = alter;
        this.result = result;
        this.writes = writes;
        this.writesByKind = writesByKind;
        this.rejectedWrites = rejectedWrites;
        this.rejectedByCode = rejectedByCode;
    }

    /**
     * Asserts that the migrated table holds exactly the rows the original held when the cut-over happened (after
     * every write of the writers), converted to the new definition, byte for byte, and no other rows.
     *
     * <p>The expected rows are computed by the server, independently of ghost: a table made {@code LIKE} the new one
     * is filled with {@code INSERT … SELECT} of the shared columns from the original (kept by ghost under its
     * old-table name), in UTC with strict mode, as ghost's copy converts values; that table is then compared with the
     * new one, rows paired by a unique key of the new table, every shared column compared exactly (text and binary
     * byte for byte). Columns that the ALTER added are not compared: they have no original value (their defaults,
     * such as {@code CURRENT_TIMESTAMP}, are the server's to fill). A renamed column counts as dropped and added. A
     * conversion the server cannot make without loss in strict mode (a value too long, a duplicate for a new unique
     * key) fails the assertion. The helper table is dropped again. The comparison reads the tables as they are when
     * it runs: call it before changing them.
     *
     * @throws AssertionError when a row was lost, changed or added; the message shows the first differing rows
     */
    public void assertNoRowLostOrChanged() {
        String oldTable = result.oldTable().map(name -> name.substring(name.indexOf('.') + 1))
                .orElseThrow(() -> new AssertionError("ghost kept no old table of `" + table + "` to compare with"));
        RowComparison.Outcome outcome;
        try (Connection connection = lab.connect()) {
            outcome = RowComparison.compare(connection, lab.schema(), table, oldTable);
        } catch (SQLException e) {
            throw new IllegalStateException("could not compare `" + table + "` with `" + oldTable + "`: "
                    + e.getMessage(), e);
        }
        if (!outcome.same()) {
            throw new AssertionError("rows of `" + table + "` lost or changed by ALTER TABLE `" + table + "` " + alter
                    + " (" + outcome.rowsCompared() + " original rows, columns " + outcome.columns() + ", "
                    + writes + " writes during the migration; seed " + lab.seed() + ", -D"
                    + SchemaChangeLab.SEED_PROPERTY + "=" + lab.seed() + " replays the values):\n"
                    + outcome.differences());
        }
    }

    /**
     * How long ghost's cut-over blocked queries on the table (the lock held while the tables were swapped).
     *
     * @return the lock time of the successful cut-over
     */
    public Duration cutoverLockTime() {
        return result.cutoverLockTime();
    }

    /**
     * Writes of the synthetic writers that changed a row during the migration.
     *
     * @return the count; 0 without writers
     */
    public long writes() {
        return writes;
    }

    /**
     * Writes the server refused as an application's load meets them (duplicate keys, deadlocks, lock waits, broken
     * CHECKs or foreign keys); {@link #toString()} has them by error code.
     *
     * @return the count
     */
    public long rejectedWrites() {
        return rejectedWrites;
    }

    /**
     * Ghost's own result: rows copied, binlog changes applied, the times of each phase, the old table's name.
     *
     * @return the result
     */
    public SchemaChangeResult result() {
        return result;
    }

    @Override
    public String toString() {
        String rejected = rejectedWrites == 0 ? "0 rejected" : rejectedWrites + " rejected " + rejectedByCode;
        return "ALTER TABLE `" + table + "` " + alter + ": " + result.rowsCopied() + " rows copied, "
                + result.eventsApplied() + " binlog changes applied, " + writes + " writes ("
                + (writesByKind.isEmpty() ? "" : writesByKind + "; ") + rejected + "), cut-over lock "
                + result.cutoverLockTime().toMillis() + " ms, seed " + lab.seed();
    }

}
