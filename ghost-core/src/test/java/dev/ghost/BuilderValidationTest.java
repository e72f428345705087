package dev.ghost;

import dev.ghost.spi.BinlogPosition;
import dev.ghost.spi.EventSink;
import dev.ghost.spi.EventSource;
import dev.ghost.spi.EventSourceContext;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuilderValidationTest {

    /** A stand-in so that build() does not look for ghost-binlog, which ghost-core's tests cannot see. */
    private static final EventSource NO_EVENTS = new EventSource() {
        @Override
        public BinlogPosition start(EventSourceContext context, EventSink sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> OnlineSchemaChange.builder().chunkSize(5).chunkTime(Duration.ofSeconds(11))
                .copyThreads(0).dmlBatchSize(0)
                .cutoverLockTimeout(Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "connection: a server address is required",
                        "database: a name is required",
                        "table: a name is required",
                        "alter: the ALTER statement is required, e.g. \"ADD COLUMN c INT\"",
                        "chunkSize: 5 is not in 10..100000",
                        "chunkTime: PT11S is not in 10 ms..10 s",
                        "copyThreads: 0 is not in 1..32",
                        "dmlBatchSize: 0 is not in 1..10000",
                        "cutoverLockTimeout: PT0S must be a positive duration",
                        "eventSource: no EventSource found: add ghost-binlog to the classpath or call eventSource(...)"))
                .isInstanceOf(GhostException.class);
    }

    @Test
    void refusesTableNamesWhoseGhostNameWouldNotFit() {
        String sixty = "t".repeat(60);
        assertThatThrownBy(() -> OnlineSchemaChange.builder().connection("127.0.0.1", 3306, "u", "p")
                .database("d").table(sixty).alter("ADD COLUMN c INT").eventSource(NO_EVENTS).build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("_" + sixty + "_gho", "64-character"));
    }

    @Test
    void refusesANullBinlogPositioning() {
        assertThatThrownBy(() -> OnlineSchemaChange.builder().connection("127.0.0.1", 3306, "u", "p")
                .database("d").table("t").alter("ADD COLUMN c INT").eventSource(NO_EVENTS).binlogPositioning(null)
                .build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .containsExactly("binlogPositioning: null; use FILE_OFFSET or GTID"));
    }

    @Test
    void validSettingsBuildWithoutTouchingAnyServer() {
        OnlineSchemaChange change = OnlineSchemaChange.builder().connection("no-such-host.invalid", 3306, "u", "p")
                .database("d").table("t").alter("ADD COLUMN c INT").eventSource(NO_EVENTS).build();
        assertThat(change.table()).isEqualTo("d.t");
    }

    private static OnlineSchemaChange.Builder valid() {
        return OnlineSchemaChange.builder().connection("127.0.0.1", 3306, "u", "p")
                .database("d").table("t").alter("ADD COLUMN c INT").eventSource(NO_EVENTS);
    }

    @Test
    void checksTheTriggerSettingsAsGhOstChecksItsFlags() {
        assertThatThrownBy(() -> valid().includeTriggers(true).build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("triggerSuffix: required with includeTriggers"));
        assertThatThrownBy(() -> valid().triggerSuffix("_v2").build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("only with includeTriggers"));
        assertThatThrownBy(() -> valid().includeTriggers(true).triggerSuffix("_v-2").build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .containsExactly("triggerSuffix: `_v-2` must contain only alpha numeric characters and "
                                + "underscore (0-9,a-z,A-Z,_)"));
        assertThatThrownBy(() -> valid().removeTriggerSuffixIfExists(true).build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .containsExactly("removeTriggerSuffixIfExists: only with includeTriggers and triggerSuffix"));
        assertThatThrownBy(() -> valid().includeTriggers(true).triggerSuffix("_v2")
                .cutoverStrategy(dev.ghost.spi.CutoverStrategy.renameUnderLock()).build())
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("rename-under-lock"));
        assertThat(valid().includeTriggers(true).triggerSuffix("_v2").removeTriggerSuffixIfExists(true).build())
                .isNotNull();
    }
}
