package dev.ghost.examples;

import dev.ghost.BinlogPositioning;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.binlog.BinlogEventSourceProvider;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gh-ost's {@code --gtid}: the binlog stream starts at the server's GTID position instead of its file and offset,
 * and the migration is as exact as without it. MariaDB here; MySQL's refusal without {@code gtid_mode=ON} is in
 * {@link MySqlContainersIT}.
 */
@ExtendWith(RealServer.class)
class GtidPositioningIT {

    private static final int ROWS = 20_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /** The default event source, with the context it was started with kept for the test to look at. */
    static final class WatchedSource implements EventSource {
        private final EventSource source = new BinlogEventSourceProvider().create();
        volatile EventSourceContext context;
        volatile BinlogPosition started;

        @Override
        public BinlogPosition start(EventSourceContext given, EventSink sink) {
            context = given;
            started = source.start(given, sink);
            return started;
        }

        @Override
        public void close() {
            source.close();
        }
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT NOT NULL DEFAULT 7")
                .binlogPositioning(BinlogPositioning.GTID);
    }

    @Test
    void startsAtTheServersGtidPositionAndMigratesALiveTableExactly(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", ROWS);
        WatchedSource source = new WatchedSource();
        WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4);
        RunningMigration migration;
        try {
            migration = migrate(db).chunkSize(500).eventSource(source).build().start();
            migration.postponeCutover();
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);
            assertThat(load.committed()).as("writes during the copy").isPositive();
        } finally {
            load.stop();
        }
        // by GTID alone: no file, the server's position at the start (MariaDB: domain-server-sequence)
        BinlogPosition startAt = source.context.startAt();
        assertThat(startAt.file()).isNull();
        assertThat(startAt.gtidSet()).matches("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");
        assertThat(source.started).isEqualTo(startAt);
        migration.unpostponeCutover();
        SchemaChangeResult result = migration.await(PATIENCE);

        assertThat(result.eventsApplied()).isPositive();
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
        assertThat(db.query("SELECT COUNT(*) FROM orders WHERE extra <> 7")).containsExactly(List.of("0"));
    }

    /**
     * MariaDB's {@code gtid_binlog_pos} is empty until a transaction is binlogged. That is no reason to refuse: the
     * migration's own changelog and ghost tables are binlogged before the stream starts, so it starts at their GTIDs.
     */
    @Test
    @Tag("slow")
    void aMariaDbServerThatHasBinloggedNothingYetIsNotRefused(TestServer shared) throws Exception {
        Assumptions.assumeTrue(shared.kind() != TestServer.Kind.EXTERNAL,
                "the binlog of an external server is not ours to reset");
        try (TestServer server = TestServer.start(shared.kind());
             TestDatabase db = server.createDatabase("gtid_empty")) {
            MixedTable.create(db, "orders", 2_000);
            List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
            db.execute("RESET MASTER");
            assertThat(db.query("SELECT @@global.gtid_binlog_pos")).containsExactly(List.of(""));

            WatchedSource source = new WatchedSource();
            SchemaChangeResult result = migrate(db).eventSource(source).build().run();

            assertThat(source.context.startAt().gtidSet()).isNotBlank();
            assertThat(result.rowsCopied()).isEqualTo(2_000);
            assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
        }
    }
}
