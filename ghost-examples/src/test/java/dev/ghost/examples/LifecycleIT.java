package dev.ghost.examples;

import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationFailedException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;
import dev.ghost.event.CutoverCompleted;
import dev.ghost.event.MigrationListener;
import dev.ghost.binlog.BinlogEventSourceProvider;
import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handle's life cycle: throttle, cancel, and the events a completed migration reports. */
@ExtendWith(RealServer.class)
class LifecycleIT {

    private static OnlineSchemaChange.Builder migrate(TestDatabase db) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT");
    }

    @Test
    void cancelDuringTheCopyLeavesTheOriginalAndNothingElse(TestDatabase db) throws Exception {
        MixedTable.create(db, "orders", 5_000);
        List<List<String>> before = db.contentOf("orders", "id");
        RunningMigration migration = migrate(db).chunkSize(100).build().start();
        migration.throttle();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        assertThat(migration.status().throttleReason()).contains("commanded by user");
        assertThat(migration.status().statusLine()).contains("State: throttled, commanded by user");

        migration.cancel();
        assertThatThrownBy(migration::await).isInstanceOf(MigrationCancelledException.class)
                .hasMessageContaining(db.name() + ".orders");
        assertThat(migration.status().state()).isEqualTo(MigrationState.CANCELLED);
        assertThat(db.tables()).containsExactly("orders");
        assertThat(db.contentOf("orders", "id")).isEqualTo(before);
    }

    @Test
    void reportsTheCutoverAndTheResult(TestDatabase db) {
        MixedTable.create(db, "orders", 3_000);
        List<CutoverCompleted> cutovers = new CopyOnWriteArrayList<>();
        SchemaChangeResult result = migrate(db).okToDropTable(true).listener(new MigrationListener() {
            @Override
            public void cutoverCompleted(CutoverCompleted event) {
                cutovers.add(event);
            }
        }).build().run();

        assertThat(result.rowsCopied()).isEqualTo(3_000);
        assertThat(result.oldTable()).isEmpty();
        assertThat(result.cutoverAttempts()).isEqualTo(1);
        assertThat(result.ghostTable()).isEqualTo(db.name() + "._orders_gho");
        assertThat(cutovers).singleElement().satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.lockHeld()).isEqualTo(result.cutoverLockTime());
        });
        assertThat(db.tables()).containsExactly("orders");
    }

    @Test
    void aSourceThatFailsAfterItStartedIsClosedAndNothingIsLeft(TestDatabase db) {
        MixedTable.create(db, "orders", 100);
        AtomicBoolean closed = new AtomicBoolean();
        EventSource real = new BinlogEventSourceProvider().create();
        EventSource failingAfterStart = new EventSource() {
            @Override
            public BinlogPosition start(EventSourceContext context, EventSink sink) {
                real.start(context, sink); // connected and streaming...
                throw new IllegalStateException("lost the stream right after it started"); // ...then a failure
            }

            @Override
            public void close() {
                closed.set(true);
                real.close();
            }
        };
        assertThatThrownBy(() -> migrate(db).eventSource(failingAfterStart).build().run())
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("lost the stream right after it started");
        assertThat(closed).as("the event source is closed").isTrue();
        assertThat(db.tables()).containsExactly("orders");
    }
}
