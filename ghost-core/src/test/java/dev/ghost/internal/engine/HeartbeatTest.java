package dev.ghost.internal.engine;

import dev.ghost.MigrationFailedException;
import dev.ghost.ServerAddress;
import dev.ghost.internal.changelog.Changelog;
import dev.ghost.internal.sql.Backoff;
import dev.ghost.internal.sql.ServerConnections;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat against a server that refuses connections (nothing listens on port 1). */
class HeartbeatTest {

    @Test
    void retriesWithBackoffThenFailsTheMigrationOnce() throws Exception {
        TableName table = new TableName("shop", "orders");
        ServerConnections nowhere = new ServerConnections(ServerAddress.of("127.0.0.1", 1), "u", "p", null);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        int[] opens = new int[1];
        Heartbeat heartbeat = new Heartbeat(table, new Changelog(table.sibling("_orders_ghc")), () -> {
            opens[0]++;
            return nowhere.open(ServerConnections.Role.HEARTBEAT);
        }, new Backoff(Duration.ofMillis(50), Duration.ofMillis(50), 3, Duration.ofMinutes(1)), failures::add);

        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            heartbeat.run(); // ticks every 5 ms: most of them wait for the backoff
            Thread.sleep(5);
        }
        heartbeat.close();

        assertThat(opens[0]).as("connection attempts").isEqualTo(3);
        assertThat(failures).singleElement().isInstanceOfSatisfying(MigrationFailedException.class, e ->
                assertThat(e).hasMessageContaining("`shop`.`orders`").hasMessageContaining("heartbeat could not be "
                        + "written").hasMessageContaining("3 attempts").hasMessageContaining("nothing was cut over"));
    }
}
