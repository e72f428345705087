package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.event.MigrationListener;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a chunk size the copy adapts it to the chunk time, starting at 1000 rows, and the status says the size in
 * use; the operator's size fixes it for the rest of the copy.
 */
@ExtendWith(RealServer.class)
class AdaptiveChunkIT {

    private static final List<String> COLUMNS = List.of("id", "v");

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, Set<Integer> sizesSeen) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT")
                .progressInterval(Duration.ofMillis(10))
                .listener(new MigrationListener() {
                    @Override
                    public void progress(MigrationStatus status) {
                        if (status.state() == MigrationState.COPYING) {
                            sizesSeen.add(status.chunkSize());
                        }
                    }
                });
    }

    @Test
    void theSizeFollowsTheChunkTimeAndTheStatusSaysIt(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))",
                "INSERT INTO t SELECT seq, REPEAT('x', 200) FROM seq_1_to_60000");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        Set<Integer> sizes = ConcurrentHashMap.newKeySet();
        RunningMigration migration = migrate(db, sizes).chunkTime(Duration.ofMillis(10)).build().start();
        // Held before its first chunk, the copy reports its starting size; a sampled report could come too late.
        migration.throttle();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        int startingSize = migration.status().chunkSize();
        migration.unthrottle();
        migration.await(Duration.ofMinutes(2));

        assertThat(startingSize).as("chunk size before the first chunk").isEqualTo(1000);
        assertThat(sizes).as("chunk sizes in the status while copying").hasSizeGreaterThan(1);
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }

    @Test
    void theOperatorsSizeWins(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))",
                "INSERT INTO t SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        Set<Integer> sizes = ConcurrentHashMap.newKeySet();
        RunningMigration migration = migrate(db, sizes).chunkTime(Duration.ofMillis(10)).build().start();
        migration.throttle();
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        migration.chunkSize(300);
        Thread.sleep(100); // a progress report taken before the change may still be on its way
        sizes.clear();
        migration.unthrottle();
        migration.await(Duration.ofMinutes(2));

        assertThat(sizes).containsOnly(300);
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }
}
