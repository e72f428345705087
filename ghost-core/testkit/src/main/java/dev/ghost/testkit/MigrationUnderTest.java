package dev.ghost.testkit;

import dev.ghost.GhostException;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.spi.TableName;
import dev.ghost.testing.TestServer;
import dev.ghost.testkit.internal.CutoverHold;
import dev.ghost.testkit.internal.SyntheticWriters;
import dev.ghost.testkit.internal.TableShape;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One migration of one table with ghost, as a test runs it: configure it, then {@link #run()} it (it must succeed)
 * or {@link #assertRefused()} (ghost must refuse it). Made by {@link SchemaChangeLab#migrate}.
 *
 * <p>{@link #run()} holds the cut-over until the copy is done, so that the writers of {@link #withWriters} write to
 * the table during the whole copy and stop while the migration waits to cut over; then the cut-over goes, and the
 * original table is kept (under ghost's old-table name) for {@link MigrationReport#assertNoRowLostOrChanged()}.
 *
 * <p>The kit sets ghost's chunk size to 100 rows (many chunks, so the writers meet the copy); {@link #configure}
 * changes that and any other setting, except those the kit needs: the server, database, table and ALTER,
 * {@code okToDropTable(false)}, {@code attemptInstantDdl(false)}, {@code dryRun(false)} and the postpone flag file.
 */
public final class MigrationUnderTest {

    private static final int MAX_WRITERS = 64;

    private final SchemaChangeLab lab;
    private final String table;
    private final String alter;
    private int writers;
    private Consumer<OnlineSchemaChange.Builder> settings = builder -> { };
    private Duration timeout = Duration.ofMinutes(5);

    MigrationUnderTest(SchemaChangeLab lab, String table, String alter) {
        this.lab = lab;
        this.table = table;
        this.alter = alter;
    }

    /**
     * Synthetic writers during the migration: each inserts rows, updates non-key columns of existing rows and
     * deletes rows, every statement in its own transaction, with values made from the column types (see
     * {@link SchemaChangeLab#fill}). Duplicate keys, deadlocks and lock waits are counted, not fatal
     * ({@link MigrationReport#rejectedWrites()}). Updates and deletes need a unique key; without one, writers only
     * insert.
     *
     * @param count how many writer threads, 0 (the default) to 64
     * @return this migration
     * @throws IllegalArgumentException when {@code count} is out of range
     */
    public MigrationUnderTest withWriters(int count) {
        if (count < 0 || count > MAX_WRITERS) {
            throw new IllegalArgumentException("writers must be 0.." + MAX_WRITERS + ", not " + count);
        }
        this.writers = count;
        return this;
    }

    /**
     * Changes ghost's settings for this migration, e.g. {@code b -> b.chunkSize(500).checksum(false)}. Called once
     * per run, before the kit sets what it needs (see the class description); several calls apply in order.
     *
     * @param change what to set on the builder
     * @return this migration
     */
    public MigrationUnderTest configure(Consumer<OnlineSchemaChange.Builder> change) {
        Objects.requireNonNull(change, "change");
        this.settings = this.settings.andThen(change);
        return this;
    }

    /**
     * How long the migration may take before the test fails (it is cancelled then); 5 minutes unless set.
     *
     * @param limit a positive duration
     * @return this migration
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public MigrationUnderTest timeout(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + limit);
        }
        this.timeout = limit;
        return this;
    }

    /**
     * Runs the migration with the writers, and fails the test with ghost's reason when ghost does not complete it.
     *
     * @return what happened, to check the rows and the lock time
     * @throws AssertionError           when ghost refuses or fails the migration, a writer fails, or the timeout
     *                                  passes
     * @throws IllegalArgumentException when the table does not exist
     */
    public MigrationReport run() {
        TableShape shape = shape();
        long deadline = System.nanoTime() + timeout.toNanos();
        SyntheticWriters load = null;
        try (CutoverHold hold = new CutoverHold()) {
            OnlineSchemaChange change;
            try {
                change = builder().postponeCutoverFlagFile(hold.flagFile()).listener(hold).build();
            } catch (GhostException e) {
                throw new AssertionError(describe() + ": ghost did not accept the settings: " + e.getMessage(), e);
            }
            if (writers > 0) {
                load = SyntheticWriters.start(lab::connect, shape, writers, lab::nextRandom);
            }
            RunningMigration migration = change.start();
            SchemaChangeResult result;
            try {
                boolean held = hold.awaitHeldOrEnded(migration, remaining(deadline));
                if (load != null) {
                    load.stop(); // no writes during the cut-over: the comparison needs a fixed original
                }
                if (!held) {
                    cancel(migration);
                    throw new AssertionError(describe() + ": no cut-over within " + timeout + ": "
                            + migration.status().statusLine());
                }
                hold.release(migration);
                result = migration.await(remaining(deadline));
            } catch (GhostException e) {
                throw new AssertionError(describe() + " failed (seed " + lab.seed() + "): " + e.getMessage(), e);
            } catch (TimeoutException e) {
                cancel(migration);
                throw new AssertionError(describe() + ": not done within " + timeout + ": "
                        + migration.status().statusLine(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(migration);
                throw new AssertionError(describe() + ": interrupted", e);
            }
            if (load != null && load.failure() != null) {
                throw new AssertionError(describe() + " (seed " + lab.seed() + "): " + load.failure().getMessage(),
                        load.failure());
            }
            return new MigrationReport(lab, table, alter, result, load == null ? 0 : load.committed(),
                    load == null ? "" : load.committedByKind(), load == null ? 0 : load.rejected(),
                    load == null ? "" : load.rejectedByCode().toString());
        } finally {
            if (load != null) {
                load.stop();
            }
        }
    }

    /**
     * Asserts that ghost refuses this change: the migration ends with a {@link GhostException} (a failed pre-flight
     * check, or any other reason ghost stops for), and the table's definition and content, and the schema's list of
     * tables, are what they were before. Writers are not started for this.
     *
     * @return the refusal, to check ghost's reason
     * @throws AssertionError when ghost migrates the table, or leaves the table or schema changed after refusing
     */
    public Refusal assertRefused() {
        List<String> tablesBefore = lab.database().tables();
        String before = fingerprint();
        SchemaChangeResult result;
        try {
            result = builder().build().run();
        } catch (GhostException refusal) {
            List<String> tablesAfter = lab.database().tables();
            if (!tablesAfter.equals(tablesBefore)) {
                throw new AssertionError(describe() + " was refused (" + refusal.getMessage() + "), but the schema's "
                        + "tables changed from " + tablesBefore + " to " + tablesAfter, refusal);
            }
            String after = fingerprint();
            if (!after.equals(before)) {
                throw new AssertionError(describe() + " was refused (" + refusal.getMessage() + "), but the table "
                        + "changed: before " + before + ", after " + after, refusal);
            }
            return new Refusal(describe(), refusal);
        }
        throw new AssertionError("expected ghost to refuse " + describe() + ", but it migrated the table: "
                + result.rowsCopied() + " rows copied, " + result.eventsApplied() + " binlog changes applied, "
                + "cut-over in " + result.cutoverAttempts() + " attempt(s)");
    }

    private OnlineSchemaChange.Builder builder() {
        OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder().chunkSize(100);
        settings.accept(builder);
        TestServer server = lab.database().server();
        return builder.connection(server.host(), server.port(), server.user(), server.password())
                .database(lab.schema()).table(table).alter(alter)
                .okToDropTable(false).attemptInstantDdl(false).dryRun(false);
    }

    private TableShape shape() {
        try (Connection connection = lab.connect()) {
            return TableShape.read(connection, lab.schema(), table);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the columns of `" + table + "`: " + e.getMessage(), e);
        }
    }

    /** The table's definition and checksum, or "absent": what a refusal must leave as it was. */
    private String fingerprint() {
        try (Connection connection = lab.connect(); Statement statement = connection.createStatement()) {
            String quoted = new TableName(lab.schema(), table).quoted();
            String definition;
            try (ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + quoted)) {
                rows.next();
                definition = rows.getString(2);
            } catch (SQLException missing) {
                return "absent";
            }
            try (ResultSet rows = statement.executeQuery("CHECKSUM TABLE " + quoted + " EXTENDED")) {
                rows.next();
                return definition + " with checksum " + rows.getString(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read `" + table + "`: " + e.getMessage(), e);
        }
    }

    /** Cancels and waits a little for ghost to remove what it made, so that the test's schema drops cleanly. */
    private static void cancel(RunningMigration migration) {
        migration.cancel();
        try {
            migration.await(Duration.ofSeconds(30));
        } catch (GhostException | TimeoutException expected) {
            // cancelled: the failure being reported is the timeout
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private String describe() {
        return "ALTER TABLE `" + table + "` " + alter;
    }

    @Override
    public String toString() {
        return describe() + " with " + writers + " writer(s) in " + lab;
    }
}
