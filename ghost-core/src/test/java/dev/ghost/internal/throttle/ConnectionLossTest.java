package dev.ghost.internal.throttle;

import dev.ghost.GhostException;
import dev.ghost.MigrationFailedException;
import dev.ghost.ServerAddress;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.TableName;
import dev.ghost.spi.ThrottleDecision;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The throttle's connections to a server that refuses them (nothing listens on port 1): the copy stays throttled
 * with a reason that says why, and the migration fails once the bound is reached; never a silent throttle forever.
 */
class ConnectionLossTest {

    private static final ServerAddress NOWHERE = ServerAddress.of("127.0.0.1", 1);

    @Test
    void throttlesWhileReconnectingThenFailsTheMigration() throws Exception {
        ServerConnections server = new ServerConnections(NOWHERE, "u", "p", null);
        CompletableFuture<GhostException> aborted = new CompletableFuture<>();
        Throttler throttler = new Throttler(List.of(new ThrottleQueryPolicy("SELECT 1")),
                () -> server.open(ServerConnections.Role.THROTTLE), () -> Duration.ZERO, aborted::complete,
                new Backoff(Duration.ofMillis(200), Duration.ofMillis(200), 3, Duration.ofMinutes(1)));
        try {
            throttler.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (throttler.reason().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(throttler.reason()).hasValueSatisfying(reason ->
                    assertThat(reason).startsWith("throttle connection lost: ").contains("reconnecting in"));

            GhostException failure = aborted.get(10, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("throttle checks lost their connection")
                    .hasMessageContaining("3 attempts")
                    .hasMessageContaining("original table is untouched");
        } finally {
            throttler.close();
        }
    }

    @Test
    void anUnreadableControlReplicaThrottlesWithItsReasonThenFails() throws Exception {
        ReplicaLagPolicy policy = new ReplicaLagPolicy(List.of(NOWHERE), "u", "p", new TableName("d", "_t_ghc"),
                () -> Duration.ofSeconds(1), Duration.ofMillis(300));
        try {
            ThrottleDecision first = policy.evaluate(null);
            assertThat(first.throttled()).isTrue();
            assertThat(first.reason()).startsWith("replica 127.0.0.1:1 lag unknown: ");

            Thread.sleep(350);
            assertThatThrownBy(() -> policy.evaluate(null)).isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("control replica 127.0.0.1:1 could not be read")
                    .hasMessageContaining("--throttle-control-replicas");
        } finally {
            policy.close();
        }
    }
}
