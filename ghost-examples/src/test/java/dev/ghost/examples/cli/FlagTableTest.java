package dev.ghost.examples.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlagTableTest {

    /** Every flag gh-ost's main.go defines (github/gh-ost at 145799ee), so that none of its flags is "not defined". */
    static final List<String> GH_OST_FLAGS = List.of(
            "host", "assume-master-host", "port", "mysql-timeout", "user", "password", "master-user",
            "master-password", "conf", "ask-pass", "charset", "ssl", "ssl-ca", "ssl-cert", "ssl-key",
            "ssl-allow-insecure", "database", "table", "alter", "attempt-instant-ddl", "storage-engine",
            "exact-rowcount", "concurrent-rowcount", "allow-on-master", "allow-master-master",
            "allow-nullable-unique-key", "approve-renamed-columns", "skip-renamed-columns", "tungsten",
            "discard-foreign-keys", "skip-foreign-key-checks", "skip-strict-mode", "allow-zero-in-date", "aliyun-rds",
            "gcp", "azure", "gtid", "execute", "test-on-replica", "test-on-replica-skip-replica-stop",
            "migrate-on-replica", "ok-to-drop-table", "initially-drop-old-table", "initially-drop-ghost-table",
            "timestamp-old-table", "cut-over", "force-named-cut-over", "force-named-panic", "switch-to-rbr",
            "assume-rbr", "cut-over-exponential-backoff", "exponential-backoff-max-interval", "chunk-size",
            "dml-batch-size", "default-retries", "panic-on-warnings", "cut-over-lock-timeout-seconds", "nice-ratio",
            "max-lag-millis", "replication-lag-query", "throttle-control-replicas", "throttle-query", "throttle-http",
            "throttle-http-interval-millis", "throttle-http-timeout-millis", "ignore-http-errors",
            "heartbeat-interval-millis", "throttle-flag-file", "throttle-additional-flag-file",
            "postpone-cut-over-flag-file", "panic-flag-file", "initially-drop-socket-file", "serve-socket-file",
            "serve-tcp-port", "hooks-path", "hooks-hint", "hooks-hint-owner", "hooks-hint-token",
            "hooks-status-interval", "replica-server-id", "allow-setup-metadata-lock-instruments",
            "skip-metadata-lock-check", "binlogsyncer-max-reconnect-attempts", "include-triggers", "trigger-suffix",
            "remove-trigger-suffix-if-exists", "skip-port-validation", "checkpoint", "checkpoint-seconds", "resume",
            "revert", "old-table", "analyze-ghost-table-before-cutover", "max-load", "critical-load",
            "critical-load-interval-millis", "critical-load-hibernate-seconds", "statsd-addr", "statsd-tags",
            "runtime-metrics-interval", "quiet", "verbose", "debug", "stack", "help", "version", "check-flag",
            "force-table-names");

    @Test
    void definesExactlyGhOstsFlagsAndGhostsOwn() {
        List<String> expected = new java.util.ArrayList<>(GH_OST_FLAGS);
        expected.addAll(GHOST_FLAGS);
        assertThat(FlagTable.ENTRIES).extracting(FlagTable.Entry::name)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Flags of ghost's own, for what gh-ost cannot do: each a deliberate decision. */
    private static final List<String> GHOST_FLAGS = List.of("checksum", "chunk-time", "copy-threads", "defer-secondary-indexes", "replay-threads",
            "mysql-wait-timeout");

    @Test
    void explainsEveryFlagItDoesNotUse() {
        assertThat(FlagTable.ENTRIES)
                .filteredOn(entry -> entry.handling() != FlagTable.Handling.SUPPORTED)
                .allSatisfy(entry -> assertThat(entry.reason()).isNotBlank());
        assertThat(FlagTable.helpRemarks())
                .containsEntry("tungsten", "not supported yet by ghost: Tungsten replication is not supported")
                .doesNotContainKey("gtid")
                .doesNotContainKey("allow-zero-in-date")
                .doesNotContainKey("alter");
    }

    @Test
    void listsRefusedFlagsForCheckFlagWhateverTheirValue() throws Exception {
        ParsedFlags flags = FlagTable.parser().parse(List.of("--check-flag", "--tungsten=false",
                "--storage-engine=rocksdb", "--cut-over=two-step", "--gtid", "--alter=x"));

        assertThat(FlagTable.refusedFlags(flags)).containsExactly("storage-engine", "tungsten");
        assertThat(FlagTable.refusedFlags(FlagTable.parser().parse(List.of("--storage-engine=InnoDB",
                "--skip-strict-mode", "--force-table-names=x")))).isEmpty();
    }

    @Test
    void acceptsTheTlsFlags() throws Exception {
        ParsedFlags flags = FlagTable.parser().parse(List.of("--ssl", "--ssl-ca=/ca.pem", "--ssl-cert=/c.pem",
                "--ssl-key=/k.pem", "--ssl-allow-insecure", "--alter=x"));

        assertThat(FlagTable.refusedFlags(flags)).isEmpty();
        assertThat(FlagTable.judge(flags).notes()).isEmpty();
    }

    @Test
    void acceptsAllowZeroInDate() throws Exception {
        ParsedFlags flags = FlagTable.parser().parse(List.of("--allow-zero-in-date", "--alter=x"));

        assertThat(FlagTable.refusedFlags(flags)).isEmpty();
    }

    /** The README explains every flag ghost accepts without effect or refuses. */
    @Test
    void readmeNamesEveryFlagItIgnoresOrRefuses() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        assertThat(FlagTable.ENTRIES)
                .filteredOn(entry -> entry.handling() != FlagTable.Handling.SUPPORTED)
                .allSatisfy(entry -> assertThat(readme).as("README names --" + entry.name())
                        .contains("`--" + entry.name()));
    }

    /** The README's table of every flag is the flag table's own: regenerate it from the message when this fails. */
    @Test
    void readmeTableShowsEveryFlagsHandling() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String begin = "<!-- flag table: generated from FlagTable, checked by FlagTableTest -->\n";
        String end = "<!-- end of flag table -->";
        assertThat(readme).contains(begin).contains(end);
        String inReadme = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));
        assertThat(inReadme).as("README's flag table; expected:%n%s", FlagTable.markdownTable())
                .isEqualTo(FlagTable.markdownTable());
    }
}
