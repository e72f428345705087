package dev.ghost.examples;

import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.PreflightCheckException;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoints and resume: a run stopped mid-copy (a panic keeps its tables, as a kill would) is finished by another
 * from its last checkpoint, under concurrent writers, and the result holds exactly the original's rows. A resume that
 * cannot be done safely is refused before anything changes.
 */
@ExtendWith(RealServer.class)
class ResumeIT {

    private static final int ROWS = 20_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final String ALTER = "ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x', "
            + "ADD INDEX idx_created (created)";

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, String alter) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter(alter)
                .chunkSize(100)
                .checkpoint(true).checkpointInterval(Duration.ofSeconds(1));
    }

    @Test
    void aRunStoppedMidCopyAndAgainWhilePostponedIsFinishedWithIdenticalRows(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        SchemaChangeResult result;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            // First run: stopped mid-copy, after a checkpoint that recorded the copy's progress.
            RunningMigration first = migrate(db, ALTER).postponeCutoverFlagFile(postpone).build().start();
            holdMidCopyAfterACheckpoint(db, first, ROWS / 10);
            assertThat(first.status().state()).isEqualTo(MigrationState.COPYING);
            // The copy is held; the ghost table may still fill through the replay of the writers' changes.
            assertThat(first.status().rowsCopied()).isLessThan(ROWS);
            first.panic();
            assertThatThrownBy(first::await).isInstanceOf(MigrationCancelledException.class);
            assertThat(db.tables()).contains("_orders_gho", "_orders_ghc", "_orders_ghk");
            assertThat(db.queryLong("SELECT COUNT(*) FROM _orders_gho")).isPositive();

            // Second run: resumes, finishes the copy, is stopped again while the cut-over is postponed.
            long checkpointsBefore = db.queryLong("SELECT COUNT(*) FROM _orders_ghk");
            RunningMigration second = migrate(db, ALTER).resume(true).postponeCutoverFlagFile(postpone)
                    .build().start();
            OnlineMigrationIT.awaitState(second, MigrationState.POSTPONED, Duration.ofMinutes(2));
            awaitCheckpoints(db, checkpointsBefore + 2, Duration.ofMinutes(1));
            second.panic();
            assertThatThrownBy(second::await).isInstanceOf(MigrationCancelledException.class);

            // Third run: resumes past the copy and completes.
            RunningMigration third = migrate(db, ALTER).resume(true).postponeCutoverFlagFile(postpone)
                    .build().start();
            OnlineMigrationIT.awaitState(third, MigrationState.POSTPONED, Duration.ofMinutes(2));
            assertThat(load.committed()).as("writes during the runs").isGreaterThan(100);
            load.stop();
            Files.delete(postpone);
            result = third.await(Duration.ofMinutes(2));
        }
        assertThat(result.rowsCopied()).as("rows the last run copied again").isLessThan(ROWS / 2);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del", "_orders_ghk"); // kept for a revert
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        assertThat(db.query("SHOW CREATE TABLE orders").get(0).get(1)).contains("KEY `idx_created` (`created`)");
    }

    @Test
    void aResumeWithoutACheckpointOrWithAnotherAlterIsRefusedAndChangesNothing(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 2_000);
        assertThatThrownBy(() -> migrate(db, ALTER).resume(true).build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check()).isEqualTo("resume"))
                .hasMessageContaining("cannot resume the migration of")
                .hasMessageContaining("no checkpoint table `" + db.name() + "`.`_orders_ghk`");
        assertThat(db.tables()).containsExactly("orders");

        RunningMigration first = migrate(db, ALTER).chunkSize(10).build().start();
        holdMidCopyAfterACheckpoint(db, first, 200);
        first.panic();
        assertThatThrownBy(first::await).isInstanceOf(MigrationCancelledException.class);
        List<List<String>> ghostRows = db.contentOf("_orders_gho", "id");

        assertThatThrownBy(() -> migrate(db, "ADD COLUMN other INT").resume(true).build().run())
                .isInstanceOf(PreflightCheckException.class)
                .hasMessageContaining("the ALTER differs from the interrupted run's");
        db.execute("ALTER TABLE orders ADD COLUMN sneaky INT");
        assertThatThrownBy(() -> migrate(db, ALTER).resume(true).build().run())
                .isInstanceOf(PreflightCheckException.class)
                .hasMessageContaining("the table's definition changed since the checkpoint was written");
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc", "_orders_ghk");
        assertThat(db.contentOf("_orders_gho", "id")).isEqualTo(ghostRows);
        assertThat(db.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name()
                + "' AND ID <> CONNECTION_ID()")).containsExactly(List.of("0"));
    }

    @Test
    void aResumeWhoseBinlogWasPurgedIsRefusedAndChangesNothing(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 3_000);
        RunningMigration first = migrate(db, ALTER).chunkSize(10).build().start();
        holdMidCopyAfterACheckpoint(db, first, 200);
        first.panic();
        assertThatThrownBy(first::await).isInstanceOf(MigrationCancelledException.class);
        List<List<String>> ghostRows = db.contentOf("_orders_gho", "id");
        purgeEveryBinlogButTheCurrent(db); // the checkpoint's position is gone

        assertThatThrownBy(() -> migrate(db, ALTER).resume(true).build().run())
                .isInstanceOfSatisfying(PreflightCheckException.class, e -> assertThat(e.check()).isEqualTo("resume"))
                .hasMessageContaining("is no longer on")
                .hasMessageContaining("Nothing was changed");
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc", "_orders_ghk");
        assertThat(db.contentOf("_orders_gho", "id")).isEqualTo(ghostRows);
    }

    /**
     * MariaDB keeps a binlog file until InnoDB has made its transactions durable (its binlog checkpoint), and a purge
     * skips such a file silently: rotate and purge until only the current file is left.
     */
    private static void purgeEveryBinlogButTheCurrent(TestDatabase db) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        db.execute("FLUSH BINARY LOGS");
        while (true) {
            String current = db.query("SHOW MASTER STATUS").get(0).get(0);
            db.execute("PURGE BINARY LOGS TO '" + current + "'");
            if (db.query("SHOW BINARY LOGS").size() == 1) {
                return;
            }
            assertThat(System.nanoTime()).as("binlogs purged within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Holds the copy (the throttle) once {@code rows} are copied, and waits for a checkpoint written while it is held:
     * however fast the machine, the checkpoint then records the copy's progress mid-copy.
     */
    private static void holdMidCopyAfterACheckpoint(TestDatabase db, RunningMigration migration, long rows)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (migration.status().rowsCopied() < rows) {
            assertThat(migration.status().state()).isIn(MigrationState.NEW, MigrationState.INSPECTING,
                    MigrationState.PREPARING, MigrationState.COPYING);
            assertThat(System.nanoTime()).as("%d rows copied within 2 minutes", rows).isLessThan(deadline);
            Thread.sleep(1);
        }
        migration.throttle();
        awaitCheckpointWithProgress(db, Duration.ofMinutes(1));
        long written = db.queryLong("SELECT COUNT(*) FROM _orders_ghk");
        awaitCheckpoints(db, written + 1, Duration.ofMinutes(1)); // one taken while the copy is surely held
    }

    private static void awaitCheckpointWithProgress(TestDatabase db, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!db.tables().contains("_orders_ghk")
                || db.queryLong("SELECT COUNT(*) FROM _orders_ghk WHERE copied_through IS NOT NULL") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint with the copy's progress within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitCheckpoints(TestDatabase db, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (db.queryLong("SELECT COUNT(*) FROM _orders_ghk") < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " checkpoints within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
