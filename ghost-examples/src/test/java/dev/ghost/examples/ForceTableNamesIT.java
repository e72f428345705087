package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gh-ost's --force-table-names: the helper tables are named after the given base instead of the table, and the
 * migration completes under writes with every row intact. The atomic cut-over's sentry keeps the table's name.
 */
@ExtendWith(RealServer.class)
class ForceTableNamesIT {

    private static final int ROWS = 2_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                .chunkSize(100).forceTableNames("tmp_o");
    }

    @Test
    void theHelperTablesGetTheForcedNamesAndTheMigrationCompletes(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        SchemaChangeResult result;
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 2)) {
            RunningMigration migration = migrate(db).checkpoint(true).checkpointInterval(Duration.ofSeconds(1))
                    .build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, Duration.ofMinutes(2));
            assertThat(db.tables()).contains("_tmp_o_gho", "_tmp_o_ghc", "_tmp_o_ghk")
                    .noneMatch(name -> name.startsWith("_orders"));
            load.stop();
            migration.unpostponeCutover();
            result = migration.await();
        }

        assertThat(result.rowsCopied()).isPositive();
        assertThat(db.tables()).contains("orders", "_tmp_o_del")
                .doesNotContain("_tmp_o_gho", "_tmp_o_ghc", "orders_gcs")
                .noneMatch(name -> name.startsWith("_orders"));
        // The load stopped before the cut-over: the old table holds exactly what the new one got, column by column.
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_tmp_o_del", COLUMNS, "id"));
        assertThat(db.query("SELECT DISTINCT extra FROM orders")).containsExactly(List.of("7"));
    }

    @Test
    void aForcedNameThatIsNoPlainIdentifierIsRefusedBeforeAnythingIsCreated(TestDatabase db) {
        MixedTable.create(db, "orders", 10);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");

        assertThatThrownBy(() -> migrate(db).forceTableNames("tmp-o").build().run())
                .hasMessageContaining("forceTableNames: `tmp-o` may hold only letters, digits and underscores");

        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }
}
