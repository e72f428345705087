package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.event.MicrometerListener;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A migration with the Micrometer listener registers its figures, tagged, and removes its gauges at the end. */
@ExtendWith(RealServer.class)
class MicrometerMetricsIT {

    private static final List<String> COLUMNS = List.of("id", "v");
    private static final Tags TAGS = Tags.of("env", "test", "table", "t");

    @Test
    void gaugesCountersAndTimersAreRegisteredAndTheGaugesRemovedAtTheEnd(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))",
                "INSERT INTO t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_3000");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Registered before the Micrometer listener, so it reads the gauges' final figures just before their removal.
        Map<String, Double> finalGauges = new ConcurrentHashMap<>();
        MigrationListener probe = new MigrationListener() {
            @Override
            public void stateChanged(StateChange change) {
                if (change.to() == MigrationState.COMPLETED) {
                    for (Meter meter : registry.getMeters()) {
                        if (meter instanceof Gauge gauge) {
                            finalGauges.put(gauge.getId().getName(), gauge.value());
                        }
                    }
                }
            }
        };
        MicrometerListener metrics = MicrometerListener.builder(registry).tag("env", "test").tag("table", "t").build();

        RunningMigration migration = OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("t").alter("ADD COLUMN extra INT")
                .chunkSize(100).progressInterval(Duration.ofMillis(20))
                .listener(probe).listener(metrics)
                .build().start();
        migration.throttle(); // a throttled spell, counted when it ends
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
        Thread.sleep(300);
        assertThat(registry.get("gh_ost.throttle.active").tags(TAGS).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.row_copy.rows_copied").tags(TAGS).gauge().value())
                .as("a live gauge while the migration runs").isGreaterThanOrEqualTo(0.0);
        migration.unthrottle();
        migration.await(Duration.ofMinutes(2));

        assertThat(finalGauges).containsEntry("gh_ost.row_copy.rows_copied", 3000.0)
                .containsEntry("gh_ost.row_copy.percent", 100.0)
                .containsEntry("gh_ost.throttle.active", 0.0)
                .containsEntry("gh_ost.cut_over.attempt", 1.0)
                .containsKeys("gh_ost.row_copy.rows_estimate", "gh_ost.row_copy.rows_per_second",
                        "gh_ost.row_copy.chunk_size", "gh_ost.dml.events_applied", "gh_ost.dml.events_per_second",
                        "gh_ost.binlog.backlog_size", "gh_ost.lag.heartbeat_seconds");

        assertThat(registry.getMeters()).as("every meter carries the user's tags")
                .allMatch(meter -> meter.getId().getTags().containsAll(TAGS.stream().toList()));
        assertThat(registry.getMeters()).as("the gauges are removed when the migration ends")
                .noneMatch(meter -> meter instanceof Gauge);
        assertThat(registry.get("gh_ost.startup").tags(TAGS).counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.state.transitions_total").tags(TAGS).tag("state", "copying").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("gh_ost.state.transitions_total").tags(TAGS).tag("state", "completed").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.migration.finished_total").tags(TAGS).tag("outcome", "completed").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.throttle.events_total").tags(TAGS).counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.throttle.duration").tags(TAGS).timer().totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(200.0);
        Timer lockHeld = registry.get("gh_ost.cut_over.lock_held").tags(TAGS).tag("outcome", "success").timer();
        assertThat(lockHeld.count()).isEqualTo(1);
        assertThat(lockHeld.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("gh_ost.cut_over.attempts_total").tags(TAGS).counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gh_ost.migration.elapsed").tags(TAGS).tag("outcome", "completed").timer().count())
                .isEqualTo(1);

        metrics.close();
        assertThat(registry.getMeters()).as("close() removes the counters and timers too").isEmpty();
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }
}
