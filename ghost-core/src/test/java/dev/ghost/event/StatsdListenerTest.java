package dev.ghost.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsdListenerTest {

    private DatagramSocket receiver;

    @BeforeEach
    void openReceiver() throws Exception {
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        receiver.setSoTimeout(2000);
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void progressIsSentAsDogStatsdGaugesWithTheGlobalTags() throws Exception {
        try (StatsdListener listener = listener().tags(List.of("env:test", "service:ghost")).build()) {
            listener.progress(status(MigrationState.COPYING, Optional.empty()));

            List<String> lines = receiveLines();
            assertThat(lines).contains(
                    "gh_ost.row_copy.rows_copied:500|g|#env:test,service:ghost",
                    "gh_ost.row_copy.rows_estimate:1000|g|#env:test,service:ghost",
                    "gh_ost.row_copy.percent:50|g|#env:test,service:ghost",
                    "gh_ost.row_copy.rows_per_second:123.500|g|#env:test,service:ghost",
                    "gh_ost.dml.events_applied:42|g|#env:test,service:ghost",
                    "gh_ost.binlog.backlog_size:7|g|#env:test,service:ghost",
                    "gh_ost.lag.heartbeat_seconds:1.250|g|#env:test,service:ghost,throttled:false",
                    "gh_ost.throttle.active:0|g|#env:test,service:ghost");
        }
    }

    @Test
    void withoutTagsNoTagSectionIsSentAndThePrefixCanChange() throws Exception {
        try (StatsdListener listener = listener().prefix("ghost.").build()) {
            listener.progress(status(MigrationState.COPYING, Optional.empty()));

            assertThat(receiveLines()).contains("ghost.row_copy.rows_copied:500|g",
                    "ghost.lag.heartbeat_seconds:1.250|g|#throttled:false");
        }
    }

    @Test
    void aThrottledSpellIsReportedWithItsReasonWhenItEnds() throws Exception {
        try (StatsdListener listener = listener().build()) {
            listener.progress(status(MigrationState.COPYING, Optional.of("max-load Threads_running=50")));
            assertThat(receiveLines()).contains("gh_ost.throttle.active:1|g",
                    "gh_ost.lag.heartbeat_seconds:1.250|g|#throttled:true");

            listener.progress(status(MigrationState.COPYING, Optional.empty()));
            List<String> lines = receiveLines();
            assertThat(lines).contains("gh_ost.throttle.events_total:1|c|#reason:max-load_Threads_running=50");
            assertThat(lines).anyMatch(line -> line.matches(
                    "gh_ost\\.throttle\\.duration_milliseconds:\\d+\\|ms\\|#reason:max-load_Threads_running=50"));
        }
    }

    @Test
    void statesCutOverAndTheResultAreSentAndTheEndClosesTheListener() throws Exception {
        StatsdListener listener = listener().runtimeMetricsInterval(Duration.ZERO).tags(List.of("env:test")).build();
        Instant start = Instant.now();
        listener.stateChanged(new StateChange("db.t", MigrationState.NEW, MigrationState.INSPECTING, start, ""));
        assertThat(receiveLines()).containsExactly("gh_ost.startup:1|c|#env:test",
                "gh_ost.state.transitions_total:1|c|#env:test,state:inspecting");

        listener.cutoverCompleted(new CutoverCompleted("db.t", "_t_del", Duration.ofMillis(37), 2));
        assertThat(receiveLines()).containsExactly(
                "gh_ost.cut_over.lock_held_milliseconds:37|ms|#env:test,outcome:success",
                "gh_ost.cut_over.attempts_total:1|c|#env:test,outcome:success",
                "gh_ost.cut_over.attempt:2|g|#env:test");

        listener.stateChanged(new StateChange("db.t", MigrationState.CLEANING_UP, MigrationState.COMPLETED,
                start.plusMillis(2500), ""));
        assertThat(receiveLines()).containsExactly(
                "gh_ost.state.transitions_total:1|c|#env:test,state:completed",
                "gh_ost.migration.finished_total:1|c|#env:test,outcome:completed",
                "gh_ost.migration.elapsed_seconds:2.500|g|#env:test");

        // closed: a late report is dropped quietly
        listener.progress(status(MigrationState.COMPLETED, Optional.empty()));
        receiver.setSoTimeout(300);
        assertThatThrownBy(this::receiveLines).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void runtimeGaugesAreSampledAtTheIntervalOnceTheMigrationStarts() throws Exception {
        try (StatsdListener listener = listener().runtimeMetricsInterval(Duration.ofMillis(100)).build()) {
            listener.stateChanged(new StateChange("db.t", MigrationState.NEW, MigrationState.INSPECTING,
                    Instant.now(), ""));
            List<String> lines = new ArrayList<>();
            while (lines.stream().filter(line -> line.startsWith("gh_ost.jvm_runtime.heap_used_bytes:")).count() < 2) {
                lines.addAll(receiveLines());
            }
            assertThat(lines).anyMatch(line -> line.matches("gh_ost\\.jvm_runtime\\.threads:\\d+\\|g"));
            assertThat(lines).anyMatch(line -> line.matches("gh_ost\\.jvm_runtime\\.gc_count:\\d+\\|g"));
        }
    }

    @Test
    void aMissingStatsdServerDoesNotThrowIntoTheMigration() throws Exception {
        int port = receiver.getLocalPort();
        receiver.close(); // nobody listens: the sends get ICMP port unreachable
        try (StatsdListener listener = StatsdListener.builder("127.0.0.1", port).build()) {
            for (int i = 0; i < 5; i++) {
                listener.progress(status(MigrationState.COPYING, Optional.empty()));
            }
        }
    }

    @Test
    void badSettingsAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> StatsdListener.builder("no-such-host.invalid", 8125))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-host.invalid");
        assertThatThrownBy(() -> StatsdListener.builder("127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> StatsdListener.builder("127.0.0.1", 8125).tag("env:a,b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("env:a,b");
        assertThatThrownBy(() -> StatsdListener.builder("127.0.0.1", 8125).runtimeMetricsInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private StatsdListener.Builder listener() {
        return StatsdListener.builder("127.0.0.1", receiver.getLocalPort()).runtimeMetricsInterval(Duration.ZERO);
    }

    private List<String> receiveLines() throws Exception {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        receiver.receive(packet);
        String payload = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertThat(packet.getLength()).isLessThanOrEqualTo(StatsdListener.MAX_PAYLOAD_BYTES);
        List<String> lines = new ArrayList<>(Arrays.asList(payload.split("\n")));
        // one datagram may not hold everything of one report
        receiver.setSoTimeout(100);
        try {
            while (true) {
                DatagramPacket more = new DatagramPacket(buffer, buffer.length);
                receiver.receive(more);
                lines.addAll(Arrays.asList(new String(more.getData(), 0, more.getLength(), StandardCharsets.UTF_8)
                        .split("\n")));
            }
        } catch (SocketTimeoutException drained) {
            return lines;
        } finally {
            receiver.setSoTimeout(2000);
        }
    }

    private static MigrationStatus status(MigrationState state, Optional<String> throttleReason) {
        return new MigrationStatus("db.t", state, 500, 1000, 42, 7, Duration.ofMillis(1250), Duration.ofSeconds(9),
                Duration.ofSeconds(8), Optional.of(Duration.ofSeconds(8)), throttleReason, 100, "binlog.000002:4",
                123.5, 4.0);
    }
}
