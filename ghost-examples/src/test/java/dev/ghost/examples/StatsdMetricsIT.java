package dev.ghost.examples;

import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.event.StatsdListener;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A migration with the StatsD listener sends its progress and its result to a UDP receiver in the test. */
@ExtendWith(RealServer.class)
class StatsdMetricsIT {

    private static final List<String> COLUMNS = List.of("id", "v");

    @Test
    void copyProgressThrottlingCutOverAndTheResultArrive(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))",
                "INSERT INTO t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_3000");
        List<List<String>> before = db.contentOf("t", COLUMNS, "id");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> receive(receiver, lines), "statsd-receiver");
            reader.setDaemon(true);
            reader.start();

            RunningMigration migration = OnlineSchemaChange.builder()
                    .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                    .database(db.name()).table("t").alter("ADD COLUMN extra INT")
                    // Small chunks with a rest after each: the copy takes many progress intervals on any machine.
                    .chunkSize(10).throttlePolicy(dev.ghost.spi.ThrottlePolicy.niceRatio(1))
                    .progressInterval(Duration.ofMillis(20))
                    .listener(StatsdListener.builder("127.0.0.1", receiver.getLocalPort())
                            .tag("env:test").tag("table:t").runtimeMetricsInterval(Duration.ofMillis(200)).build())
                    .build().start();
            migration.throttle(); // a throttled spell, reported when it ends
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, Duration.ofSeconds(30));
            Thread.sleep(300);
            migration.unthrottle();
            migration.await(Duration.ofMinutes(2));
            awaitLine(lines, "gh_ost.migration.finished_total:1|c|#env:test,table:t,outcome:completed");
        }

        assertThat(lines).as("every metric carries the global tags").allMatch(line -> line.contains("|#env:test,table:t"));
        assertThat(lines).contains(
                "gh_ost.startup:1|c|#env:test,table:t",
                "gh_ost.state.transitions_total:1|c|#env:test,table:t,state:copying",
                "gh_ost.state.transitions_total:1|c|#env:test,table:t,state:completed",
                "gh_ost.row_copy.rows_copied:3000|g|#env:test,table:t",
                "gh_ost.throttle.active:1|g|#env:test,table:t",
                "gh_ost.cut_over.attempts_total:1|c|#env:test,table:t,outcome:success");
        assertThat(lines).anyMatch(line -> line.matches("gh_ost\\.row_copy\\.rows_estimate:\\d+\\|g\\|#env:test,table:t"));
        assertThat(lines).anyMatch(line -> line.matches("gh_ost\\.row_copy\\.rows_copied:([1-9]\\d?|[12]\\d\\d\\d?)\\|g.*"))
                .as("progress while copying, before the end");
        assertThat(lines).anyMatch(line -> line.startsWith("gh_ost.throttle.events_total:1|c|#env:test,table:t,reason:"));
        assertThat(lines).anyMatch(line -> line.matches(
                "gh_ost\\.cut_over\\.lock_held_milliseconds:\\d+\\|ms\\|#env:test,table:t,outcome:success"));
        assertThat(lines).anyMatch(line -> line.matches("gh_ost\\.jvm_runtime\\.heap_used_bytes:\\d+\\|g.*"));
        assertThat(db.contentOf("t", COLUMNS, "id")).isEqualTo(before);
    }

    private static void receive(DatagramSocket receiver, List<String> lines) {
        byte[] buffer = new byte[65535];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                receiver.receive(packet);
                lines.addAll(Arrays.asList(
                        new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).split("\n")));
            }
        } catch (SocketException closed) {
            // the test is done
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLine(List<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!lines.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines).contains(expected);
    }
}
