package dev.ghost.examples.cli;

import dev.ghost.InvalidSettingsException;
import dev.ghost.Tls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliOptionsTest {

    private static final String[] REQUIRED = {"--user=u", "--database=test", "--table=t", "--alter=engine=innodb"};

    private static final CliOptions.CutoverFlags DEFAULT_CUTOVER =
            new CliOptions.CutoverFlags(null, false, Duration.ofSeconds(64), false, false, "");

    private static final CliOptions.ThrottleFlags NO_THROTTLES = new CliOptions.ThrottleFlags("", Duration.ZERO,
            Duration.ZERO, 0, Optional.empty(), Duration.ofMillis(100), Duration.ofSeconds(1), false);

    private static final CliOptions.HookFlags NO_HOOKS = new CliOptions.HookFlags(Optional.empty(), "", "", "", 60);

    private static final CliOptions.ControlFlags NO_CONTROL = new CliOptions.ControlFlags(0, false);

    private static CliOptions resolve(String... args) throws Exception {
        return CliOptions.from(FlagTable.parser().parse(Arrays.asList(args)), name -> null);
    }

    private static CliOptions resolveWithRequired(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(REQUIRED));
        all.addAll(List.of(args));
        return resolve(all.toArray(String[]::new));
    }

    private static void assertRefused(String expectedMessage, String... args) {
        assertThatThrownBy(() -> resolveWithRequired(args))
                .isInstanceOfSatisfying(CliError.class, e -> assertThat(e.messages()).containsExactly(expectedMessage));
    }

    @Test
    void mapsTheConformanceRunnersMasterCommandLine() throws Exception {
        CliOptions options = resolve("--user=gh-ost", "--password=gh-ost", "--host=127.0.0.1", "--port=3340",
                "--database=test", "--table=gh_ost_test", "--alter=engine=innodb",
                "--exact-rowcount", "--assume-rbr", "--initially-drop-old-table", "--initially-drop-ghost-table",
                "--throttle-query=select timestampdiff(second, min(last_update), now()) < 2 from _gh_ost_test_ghc",
                "--serve-socket-file=/tmp/case/gh-ost.sock", "--initially-drop-socket-file",
                "--allow-on-master", "--postpone-cut-over-flag-file=/tmp/case/postpone.flag",
                "--default-retries=3", "--chunk-size=10", "--verbose", "--execute",
                "--alter=change e e varchar(32)", "--chunk-size", "20");

        assertThat(options).isEqualTo(new CliOptions(
                "127.0.0.1", 3340, "gh-ost", "gh-ost", false,
                "test", "gh_ost_test", "change e e varchar(32)",
                true, true,
                OptionalInt.of(20), Duration.ofMillis(100), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), 3,
                Duration.ofSeconds(3), Duration.ofMillis(100),
                false, true, true, true,
                false, false, false, false, false, Optional.empty(),
                Optional.of(Path.of("/tmp/case/postpone.flag")), Path.of("/tmp/case/gh-ost.sock"), true,
                Optional.empty(),
                Optional.of("select timestampdiff(second, min(last_update), now()) < 2 from _gh_ost_test_ghc"),
                List.of(Path.of("/tmp/gh-ost.throttle")), "", Optional.empty(), NO_THROTTLES,
                CliOptions.LogLevel.INFO, false,
                List.of(), DEFAULT_CUTOVER, NO_HOOKS, NO_CONTROL, false, true,
                Optional.empty(), CliOptions.ReplicaFlags.NONE, CliOptions.CheckpointFlags.NONE,
                CliOptions.ConnectionFlags.NONE, CliOptions.StepFlags.NONE,
                CliOptions.TriggerFlags.NONE, CliOptions.StatsdFlags.NONE));
    }

    @Test
    void mapsAttemptInstantDdlAndAnalyzeBeforeCutover() throws Exception {
        assertThat(resolveWithRequired().steps()).isEqualTo(CliOptions.StepFlags.NONE);
        CliOptions options = resolveWithRequired("--attempt-instant-ddl", "--analyze-ghost-table-before-cutover");

        assertThat(options.steps()).isEqualTo(new CliOptions.StepFlags(true, true));
        assertThat(options.notes()).isEmpty();
        assertThat(options.toBuilder().build()).isNotNull(); // the builder accepts what the flags give
    }

    @Test
    void ignoresAttemptInstantDdlWithRevertOrResumeAsGhOstDoes() throws Exception {
        CliOptions revert = CliOptions.from(FlagTable.parser().parse(List.of("--user=u", "--database=test",
                "--table=t", "--revert", "--old-table=_t_del", "--attempt-instant-ddl")), name -> null);
        assertThat(revert.steps().attemptInstantDdl()).isFalse();
        assertThat(revert.notes()).containsExactly("--attempt-instant-ddl was provided with --revert, it will be "
                + "ignored: that run has no new ALTER to apply");
        assertThat(revert.toBuilder().build()).isNotNull();

        CliOptions resume = resolveWithRequired("--execute", "--checkpoint", "--resume", "--attempt-instant-ddl");
        assertThat(resume.steps().attemptInstantDdl()).isFalse();
        assertThat(resume.notes()).singleElement().asString().contains("--resume, it will be ignored");
        assertThat(resume.toBuilder().build()).isNotNull();
    }

    @Test
    void usesGhOstsDefaults() throws Exception {
        CliOptions options = resolveWithRequired();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(3306);
        assertThat(options.password()).isEmpty();
        assertThat(options.execute()).isFalse();
        assertThat(options.allowOnMaster()).isFalse();
        assertThat(options.chunkSize()).isEmpty(); // adapts to the chunk time
        assertThat(options.chunkTime()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.copyThreads()).isEmpty(); // ghost chooses
        assertThat(options.dmlBatchSize()).isEmpty(); // ghost's own default, not gh-ost's 10
        assertThat(options.defaultRetries()).isEqualTo(60);
        assertThat(options.cutoverLockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.serveSocketFile()).isEqualTo(Path.of("/tmp/gh-ost.test.t.sock"));
        assertThat(options.throttleFlagFiles()).containsExactly(Path.of("/tmp/gh-ost.throttle"));
        assertThat(options.throttleQuery()).isEmpty();
        assertThat(options.postponeCutoverFlagFile()).isEmpty();
        assertThat(options.maxLag()).isEmpty();
        assertThat(options.logLevel()).isEqualTo(CliOptions.LogLevel.INFO);
        assertThat(options.notes()).isEmpty();
    }

    @Test
    void mapsEverySupportedFlag() throws Exception {
        CliOptions options = resolveWithRequired("--host=db1", "--port=3307", "--password=s", "--execute",
                "--allow-on-master", "--chunk-size=500", "--dml-batch-size=50", "--default-retries=7",
                "--cut-over-lock-timeout-seconds=5", "--heartbeat-interval-millis=250", "--ok-to-drop-table",
                "--initially-drop-ghost-table", "--initially-drop-old-table", "--exact-rowcount",
                "--postpone-cut-over-flag-file=/p", "--serve-socket-file=/s.sock", "--initially-drop-socket-file",
                "--panic-flag-file=/panic", "--throttle-query=select 0", "--throttle-flag-file=/t1",
                "--throttle-additional-flag-file=", "--max-load=Threads_running=25,Threads_connected=500",
                "--max-lag-millis=2000", "--debug", "--stack");

        assertThat(options).isEqualTo(new CliOptions(
                "db1", 3307, "u", "s", false, "test", "t", "engine=innodb", true, true,
                OptionalInt.of(500), Duration.ofMillis(100), OptionalInt.empty(), OptionalInt.of(50), OptionalInt.empty(), 7,
                Duration.ofSeconds(5), Duration.ofMillis(250),
                true, true, true, true,
                false, false, false, false, false, Optional.empty(),
                Optional.of(Path.of("/p")), Path.of("/s.sock"), true, Optional.of(Path.of("/panic")),
                Optional.of("select 0"), List.of(Path.of("/t1")),
                "Threads_running=25,Threads_connected=500", Optional.of(Duration.ofMillis(2000)), NO_THROTTLES,
                CliOptions.LogLevel.DEBUG, true, List.of(), DEFAULT_CUTOVER, NO_HOOKS, NO_CONTROL, false, true,
                Optional.empty(), CliOptions.ReplicaFlags.NONE, CliOptions.CheckpointFlags.NONE,
                CliOptions.ConnectionFlags.NONE, CliOptions.StepFlags.NONE, CliOptions.TriggerFlags.NONE,
                CliOptions.StatsdFlags.NONE));
    }

    @Test
    void mapsTheConnectionTimeouts() throws Exception {
        assertThat(resolveWithRequired().connection()).isEqualTo(CliOptions.ConnectionFlags.NONE);
        assertThat(resolveWithRequired("--mysql-timeout=0").connection()).isEqualTo(CliOptions.ConnectionFlags.NONE);

        CliOptions options = resolveWithRequired("--mysql-timeout=2.5", "--mysql-wait-timeout=600");

        assertThat(options.connection()).isEqualTo(new CliOptions.ConnectionFlags(
                Optional.of(Duration.ofMillis(2500)), Optional.of(Duration.ofSeconds(600)), Tls.preferred(), false));
        assertThat(options.notes()).isEmpty();
        assertThat(options.toBuilder().build()).isNotNull(); // the builder accepts what the flags give
    }

    @Test
    void mapsTheTlsFlagsAsGhOstDoes() throws Exception {
        // without --ssl: ghost's default, encrypted when the server offers it
        assertThat(resolveWithRequired().connection().tls()).isEqualTo(Tls.preferred());
        // --ssl verifies the certificate and the host name (Go's TLS with ServerName), by the default trust store
        assertThat(resolveWithRequired("--ssl").connection().tls()).isEqualTo(Tls.verifyIdentity());
        assertThat(resolveWithRequired("--ssl", "--ssl-allow-insecure").connection().tls())
                .isEqualTo(Tls.required());

        CliOptions options = resolveWithRequired("--ssl", "--ssl-ca=/etc/ca.pem", "--ssl-cert=/etc/client.pem",
                "--ssl-key=/etc/client-key.pem");

        assertThat(options.connection().tls()).isEqualTo(Tls.verifyIdentity().ca(Path.of("/etc/ca.pem"))
                .clientCertificate(Path.of("/etc/client.pem"), Path.of("/etc/client-key.pem")));
        assertThat(options.notes()).isEmpty();
    }

    @Test
    void notesThatTheCaIsUnusedWithoutVerification() throws Exception {
        CliOptions options = resolveWithRequired("--ssl", "--ssl-allow-insecure", "--ssl-ca=/etc/ca.pem");

        assertThat(options.connection().tls()).isEqualTo(Tls.required().ca(Path.of("/etc/ca.pem")));
        assertThat(options.notes()).containsExactly(
                "--ssl-ca is not used with --ssl-allow-insecure: the server's certificate is not verified");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--ssl-ca=/etc/ca.pem        | --ssl-ca requires --ssl",
            "--ssl-cert=/etc/c.pem       | --ssl-cert requires --ssl",
            "--ssl-key=/etc/k.pem        | --ssl-key requires --ssl",
            "--ssl-allow-insecure        | --ssl-allow-insecure requires --ssl"})
    void refusesTlsFlagsWithoutSsl(String flag, String message) {
        assertRefused(message, flag);
    }

    @Test
    void refusesAClientCertificateWithoutItsKey() {
        assertRefused("--ssl-cert requires --ssl-key: the client certificate's private key", "--ssl",
                "--ssl-cert=/etc/c.pem");
        assertRefused("--ssl-key requires --ssl-cert: the certificate the key belongs to", "--ssl",
                "--ssl-key=/etc/k.pem");
    }

    @Test
    void aMissingCaFileIsReportedByTheBuilderBeforeAnythingConnects(@TempDir Path dir) throws Exception {
        CliOptions options = resolveWithRequired("--ssl", "--ssl-ca=" + dir.resolve("missing.pem"));

        assertThatThrownBy(() -> options.toBuilder().build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("tls: the CA file " + dir.resolve("missing.pem") + " does not exist");
    }

    @Test
    void mapsAllowZeroInDate() throws Exception {
        assertThat(resolveWithRequired("--allow-zero-in-date").allowZeroInDate()).isTrue();
        assertThat(resolveWithRequired().allowZeroInDate()).isFalse();
    }

    @Test
    void mapsDeferSecondaryIndexesOnlyWhenGiven() throws Exception {
        assertThat(resolveWithRequired().deferSecondaryIndexes()).isEmpty();
        assertThat(resolveWithRequired("--defer-secondary-indexes").deferSecondaryIndexes()).contains(true);
        assertThat(resolveWithRequired("--defer-secondary-indexes=false").deferSecondaryIndexes()).contains(false);
    }

    @Test
    void letsQuietWinOverVerboseAndDebug() throws Exception {
        assertThat(resolveWithRequired("--debug", "--verbose", "--quiet").logLevel())
                .isEqualTo(CliOptions.LogLevel.ERROR);
    }

    @Test
    void takesDatabaseAndTableFromAWholeAlterStatement() throws Exception {
        CliOptions options = resolve("--alter=ALTER TABLE `shop`.orders ADD COLUMN c INT");

        assertThat(options.database()).isEqualTo("shop");
        assertThat(options.table()).isEqualTo("orders");
        assertThat(options.alter()).isEqualTo("ALTER TABLE `shop`.orders ADD COLUMN c INT");
    }

    @Test
    void prefersTheFlagsOverTheNamesInTheAlter() throws Exception {
        CliOptions options = resolve("--database=a", "--table=b", "--alter=alter table x.y add column c int");

        assertThat(options.database()).isEqualTo("a");
        assertThat(options.table()).isEqualTo("b");
    }

    @Test
    void saysWhatIsMissingInGhOstsWords() {
        assertThatThrownBy(() -> resolve("--database=d", "--table=t"))
                .hasMessage("--alter must be provided and statement must not be empty");
        assertThatThrownBy(() -> resolve("--table=t", "--alter=add column c int"))
                .hasMessage("--database must be provided and database name must not be empty, "
                        + "or --alter must specify database name");
        assertThatThrownBy(() -> resolve("--database=d", "--alter=add column c int"))
                .hasMessage("--table must be provided and table name must not be empty, "
                        + "or --alter must specify table name");
    }

    @ParameterizedTest
    @CsvSource({
            "--chunk-size=5, 10, --chunk-size=5 is outside 10..100000; using 10",
            "--chunk-size=200000, 100000, --chunk-size=200000 is outside 10..100000; using 100000"})
    void clampsTheChunkSizeAsGhOstDoes(String flag, int expected, String note) throws Exception {
        CliOptions options = resolveWithRequired(flag);

        assertThat(options.chunkSize()).hasValue(expected);
        assertThat(options.notes()).containsExactly(note);
    }

    @Test
    void clampsTheOtherRangesAsGhOstDoes() throws Exception {
        CliOptions options = resolveWithRequired("--dml-batch-size=0", "--heartbeat-interval-millis=5000",
                "--cut-over-lock-timeout-seconds=20", "--default-retries=0", "--max-lag-millis=10");

        assertThat(options.dmlBatchSize()).hasValue(1);
        assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.cutoverLockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.defaultRetries()).isEqualTo(60);
        assertThat(options.maxLag()).hasValue(Duration.ofMillis(100));
        assertThat(options.notes()).containsExactly(
                "--dml-batch-size=0 is outside 1..1000; using 1",
                "--default-retries=0 is not positive; using 60",
                "--cut-over-lock-timeout-seconds=20 is outside 1..10; using 3",
                "--heartbeat-interval-millis=5000 is outside 100..1000; using 1000");
        assertThat(resolveWithRequired("--dml-batch-size=5000").dmlBatchSize()).hasValue(1000);
    }

    @Test
    void replayThreadsAreGhostsOwnAndClamped() throws Exception {
        assertThat(resolveWithRequired().replayThreads()).isEmpty();
        assertThat(resolveWithRequired("--replay-threads=4").replayThreads()).hasValue(4);
        CliOptions tooMany = resolveWithRequired("--replay-threads=100");
        assertThat(tooMany.replayThreads()).hasValue(32);
        assertThat(tooMany.notes()).containsExactly("--replay-threads=100 is outside 1..32; using 32");
        assertThat(resolveWithRequired("--replay-threads=3").toBuilder().build()).isNotNull();
    }

    @Test
    void refusesFlagsGhostCannotHonour() {
        assertRefused("flag --tungsten is not supported yet by ghost: Tungsten replication is not supported",
                "--tungsten");
    }

    @Test
    void mapsTheTriggerFlagsOntoTheBuilder() throws Exception {
        assertThat(resolveWithRequired().triggers()).isEqualTo(CliOptions.TriggerFlags.NONE);
        CliOptions options = resolveWithRequired("--include-triggers", "--trigger-suffix=_ght",
                "--remove-trigger-suffix-if-exists");
        assertThat(options.triggers()).isEqualTo(new CliOptions.TriggerFlags(true, "_ght", true));
        assertThat(options.notes()).isEmpty();
        assertThat(options.toBuilder().build()).isNotNull();
    }

    @Test
    void checksTheTriggerFlagsWithGhOstsTexts() {
        assertRefused("--trigger-suffix must be used with --include-triggers", "--include-triggers");
        assertRefused("--trigger-suffix cannot be be used without --include-triggers", "--trigger-suffix=_v2");
        assertRefused("--trigger-suffix must contain only alpha numeric characters and underscore (0-9,a-z,A-Z,_)",
                "--include-triggers", "--trigger-suffix=_v-2");
        assertRefused("--remove-trigger-suffix-if-exists requires --include-triggers and --trigger-suffix",
                "--remove-trigger-suffix-if-exists");
    }

    @Test
    void ignoresTheTriggerFlagsOfARevertAsGhOstDoes() throws Exception {
        CliOptions options = resolve("--user=u", "--database=test", "--table=t", "--revert", "--old-table=_t_del",
                "--include-triggers", "--trigger-suffix=_v2");
        assertThat(options.triggers()).isEqualTo(CliOptions.TriggerFlags.NONE);
        assertThat(options.notes()).contains("--include-triggers was provided with --revert, it will be ignored");
    }

    @Test
    void mapsTheReplicaModesOntoTheBuilder() throws Exception {
        CliOptions options = resolveWithRequired("--test-on-replica", "--test-on-replica-skip-replica-stop",
                "--assume-master-host=127.0.0.1:3340", "--throttle-control-replicas=r1:3307, r2");
        assertThat(options.replica()).isEqualTo(new CliOptions.ReplicaFlags(true, true, false,
                java.util.Optional.of("127.0.0.1:3340"), List.of(dev.ghost.ServerAddress.of("r1", 3307),
                dev.ghost.ServerAddress.of("r2", 3306)), "", "", false, false, 0));
        CliOptions more = resolveWithRequired("--allow-master-master", "--switch-to-rbr", "--replica-server-id=4242");
        assertThat(more.replica().allowMasterMaster()).isTrue();
        assertThat(more.replica().switchToRbr()).isTrue();
        assertThat(more.replica().replicaServerId()).isEqualTo(4242);
        assertThat(resolveWithRequired("--migrate-on-replica").replica().migrateOnReplica()).isTrue();
    }

    @Test
    void reportsEveryRefusedFlagAtOnce() {
        assertThatThrownBy(() -> resolveWithRequired("--tungsten", "--storage-engine=rocksdb"))
                .isInstanceOfSatisfying(CliError.class, e -> assertThat(e.messages()).hasSize(2)
                        .allSatisfy(message -> assertThat(message).contains("is not supported yet by ghost")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--test-on-replica=false", "--storage-engine=innodb", "--storage-engine=InnoDB", "--cut-over=atomic",
            "--cut-over=default", "--throttle-control-replicas=", "--serve-tcp-port=0", "--resume=false"})
    void acceptsRefusedFlagsGivenGhOstsDefaultOrAHarmlessValue(String flag) throws Exception {
        // (--test-on-replica is supported now; its default stays a harmless value)
        assertThat(resolveWithRequired(flag).notes()).isEmpty();
    }

    @Test
    void refusesValuesThatChangeTheOutcome() {
        assertRefused("flag --storage-engine is not supported yet by ghost: ghost migrates InnoDB tables only: "
                + "gh-ost's rocksdb mode (MyRocks tables, copied under READ COMMITTED) is not implemented; use innodb",
                "--storage-engine=rocksdb");
        assertRefused("Unknown cut-over: fast", "--cut-over=fast");
    }

    @Test
    void takesGhOstsThrottleFlags() throws Exception {
        CliOptions options = resolveWithRequired("--critical-load=Threads_running=1000",
                "--critical-load-interval-millis=250", "--critical-load-hibernate-seconds=30", "--nice-ratio=0.5",
                "--throttle-http=http://127.0.0.1:8080/ok", "--throttle-http-interval-millis=500",
                "--throttle-http-timeout-millis=2000", "--ignore-http-errors");
        assertThat(options.throttles()).isEqualTo(new CliOptions.ThrottleFlags("Threads_running=1000",
                Duration.ofMillis(250), Duration.ofSeconds(30), 0.5, Optional.of(URI.create("http://127.0.0.1:8080/ok")),
                Duration.ofMillis(500), Duration.ofSeconds(2), true));
        assertThat(options.notes()).isEmpty();
        assertThat(resolveWithRequired("--nice-ratio=500").throttles().niceRatio()).isEqualTo(100);
        assertRefused("--critical-load: \"x\" in \"Threads_running=x\" is not a whole number",
                "--critical-load=Threads_running=x");
        assertRefused("--throttle-http: not an http(s) URL: ftp://x", "--throttle-http=ftp://x");
        assertRefused("--throttle-http: not an http(s) URL: http:///no-host", "--throttle-http=http:///no-host");
    }

    @Test
    void takesGtidAndMapsItOntoGtidPositioning() throws Exception {
        assertThat(resolveWithRequired().gtid()).isFalse();
        CliOptions options = resolveWithRequired("--gtid");
        assertThat(options.gtid()).isTrue();
        assertThat(options.notes()).isEmpty(); // supported: no "ignored by ghost" note any more
        assertThat(resolveWithRequired("--gtid=false").gtid()).isFalse();
        assertThat(options.toBuilder().build().table()).isEqualTo("test.t"); // the mapping builds valid settings
    }

    @Test
    void takesGhOstsControlFlags() throws Exception {
        assertThat(resolveWithRequired("--serve-tcp-port=9001", "--force-named-panic").control())
                .isEqualTo(new CliOptions.ControlFlags(9001, true));
        assertThat(resolveWithRequired("--serve-tcp-port=70000").control().serveTcpPort()).isEqualTo(70000);
    }

    @Test
    void takesGhOstsHookFlags() throws Exception {
        assertThat(resolveWithRequired("--hooks-path=/hooks", "--hooks-hint=h", "--hooks-hint-owner=o",
                "--hooks-hint-token=t", "--hooks-status-interval=5").hooks())
                .isEqualTo(new CliOptions.HookFlags(Optional.of(Path.of("/hooks")), "h", "o", "t", 5));
    }

    @Test
    void takesGhOstsCutOverFlags() throws Exception {
        CliOptions options = resolveWithRequired("--cut-over=two-step", "--cut-over-exponential-backoff",
                "--exponential-backoff-max-interval=16", "--timestamp-old-table", "--force-named-cut-over",
                "--force-table-names=tmp");
        assertThat(options.cutover()).isEqualTo(new CliOptions.CutoverFlags("two-step", true,
                Duration.ofSeconds(16), true, true, "tmp"));
        assertThat(options.notes()).isEmpty();
        assertThat(options.toBuilder().build().table()).endsWith(".t");

        assertThat(resolveWithRequired().cutover()).isEqualTo(DEFAULT_CUTOVER);
        assertThat(resolveWithRequired("--cut-over=atomic").cutover().kind()).isEqualTo("atomic");
    }

    @Test
    void notesIgnoredFlags() throws Exception {
        CliOptions options = resolveWithRequired("--skip-metadata-lock-check", "--checkpoint",
                "--storage-engine=innodb");

        assertThat(options.notes()).containsExactly(
                "flag --skip-metadata-lock-check is ignored by ghost: "
                        + "ghost's cut-over does not read performance_schema");
    }

    @Test
    void mapsTheStatsdFlags() throws Exception {
        assertThat(resolveWithRequired().statsd()).isEqualTo(CliOptions.StatsdFlags.NONE);

        CliOptions options = resolveWithRequired("--statsd-addr=127.0.0.1:8125", "--statsd-tags=env:prod",
                "--statsd-tags", "service:db,team:data", "--runtime-metrics-interval=5");
        assertThat(options.statsd()).isEqualTo(new CliOptions.StatsdFlags("127.0.0.1", 8125,
                List.of("env:prod", "service:db", "team:data"), Duration.ofSeconds(5)));
        assertThat(options.notes()).isEmpty();
        assertThat(options.toBuilder().build()).isNotNull(); // the listener is built and accepted

        assertThat(resolveWithRequired("--statsd-addr=[::1]:9125", "--runtime-metrics-interval=0").statsd())
                .isEqualTo(new CliOptions.StatsdFlags("::1", 9125, List.of(), Duration.ZERO));
        assertThat(resolveWithRequired("--statsd-tags=env:prod").notes()).containsExactly(
                "--statsd-tags and --runtime-metrics-interval have no effect without --statsd-addr");
    }

    @Test
    void refusesStatsdAddressesItCannotSendTo() {
        assertRefused("--statsd-addr=127.0.0.1 is not host:port with a port in 1..65535 (e.g. 127.0.0.1:8125)",
                "--statsd-addr=127.0.0.1");
        assertRefused("--statsd-addr=localhost:http is not host:port with a port in 1..65535 (e.g. 127.0.0.1:8125)",
                "--statsd-addr=localhost:http");
        assertRefused("--statsd-addr=unix:///var/run/statsd.sock: ghost sends StatsD metrics over UDP only; give "
                + "host:port (e.g. 127.0.0.1:8125)", "--statsd-addr=unix:///var/run/statsd.sock");
        assertRefused("--statsd-addr/--statsd-tags: StatsD host 'no-such-host.invalid' cannot be resolved: give a "
                + "host name DNS knows, or an IP address", "--statsd-addr=no-such-host.invalid:8125");
        assertRefused("--statsd-addr/--statsd-tags: StatsD tag 'env|x' is not key:value without '|', ',', '#' or "
                + "white space", "--statsd-addr=127.0.0.1:8125", "--statsd-tags=env|x");
    }

    @Test
    void mapsCheckpointsAndResume() throws Exception {
        assertThat(resolveWithRequired().checkpoints()).isEqualTo(CliOptions.CheckpointFlags.NONE);
        assertThat(resolveWithRequired("--checkpoint").checkpoints())
                .isEqualTo(new CliOptions.CheckpointFlags(true, Duration.ofSeconds(300), false, Optional.empty()));
        // gh-ost's own gtid-resume case sets only the interval; it means checkpoints.
        assertThat(resolveWithRequired("--checkpoint-seconds=10", "--resume").checkpoints())
                .isEqualTo(new CliOptions.CheckpointFlags(true, Duration.ofSeconds(10), true, Optional.empty()));
        // gh-ost's revert: same flags without --alter, plus --revert --old-table
        CliOptions revert = CliOptions.from(FlagTable.parser().parse(List.of("--user=u", "--database=test",
                "--table=t", "--revert", "--old-table=_t_del", "--checkpoint")), name -> null);
        assertThat(revert.checkpoints().revertTo()).contains("_t_del");
        assertThat(revert.toBuilder().build().table()).endsWith(".t");
        assertThatThrownBy(() -> CliOptions.from(FlagTable.parser().parse(List.of("--user=u", "--database=test",
                "--table=t", "--revert")), name -> null)).hasMessageContaining("--revert requires --old-table");
    }

    @Test
    void keepsGhOstsCrossFlagChecks() {
        assertRefused("--switch-to-rbr and --assume-rbr are mutually exclusive", "--switch-to-rbr", "--assume-rbr");
        assertRefused("--checkpoint-seconds should be >=10", "--checkpoint-seconds=5");
    }

    @Test
    void readsCredentialsFromTheConfFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("ghost.cnf"), "[client]\nuser=from-file\npassword=${GHOST_SECRET}\n");
        CliOptions options = CliOptions.from(FlagTable.parser().parse(List.of("--conf=" + conf,
                "--database=d", "--table=t", "--alter=engine=innodb")),
                name -> name.equals("GHOST_SECRET") ? "s3" : null);

        assertThat(options.user()).isEqualTo("from-file");
        assertThat(options.password()).isEqualTo("s3");
    }

    @Test
    void letsTheCommandLineWinOverTheConfFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("ghost.cnf"), "[client]\nuser=from-file\npassword=file-secret\n");

        CliOptions options = resolve("--conf=" + conf, "--user=cli", "--database=d", "--table=t", "--alter=x");

        assertThat(options.user()).isEqualTo("cli");
        assertThat(options.password()).isEqualTo("file-secret");
    }

    @Test
    void failsWhenTheConfFileCannotBeRead(@TempDir Path dir) {
        assertThatThrownBy(() -> resolveWithRequired("--conf=" + dir.resolve("missing.cnf")))
                .isInstanceOf(CliError.class)
                .hasMessageStartingWith("--conf: cannot read " + dir.resolve("missing.cnf"));
    }

    @Test
    void refusesAMalformedMaxLoad() {
        assertRefused("--max-load: cannot read \"Threads_running\"; expected status_variable=number, "
                + "e.g. Threads_running=25", "--max-load=Threads_running");
        assertRefused("--max-load: \"many\" in \"Threads_running=many\" is not a whole number",
                "--max-load=Threads_running=many");
    }

    @Test
    void replacesThePassword() throws Exception {
        CliOptions options = resolveWithRequired("--password=old");

        assertThat(options.withPassword("new")).isEqualTo(resolveWithRequired("--password=new"));
    }

    @Test
    void buildsAMigrationFromTheOptions() throws Exception {
        assertThat(resolveWithRequired("--execute").toBuilder().build().table()).isEqualTo("test.t");
    }

    @Test
    void leavesRangeChecksTheEngineMakesToTheBuilder() throws Exception {
        CliOptions options = resolveWithRequired("--port=70000", "--table=" + "x".repeat(70));

        assertThatThrownBy(() -> options.toBuilder().build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("port 70000 is not in 1..65535")
                .hasMessageContaining("table: `" + "x".repeat(70) + "` is 70 characters long");
    }

    @Test
    void takesSkipStrictMode() throws Exception {
        assertThat(resolveWithRequired("--skip-strict-mode").connection().skipStrictMode()).isTrue();
        assertThat(resolveWithRequired().connection().skipStrictMode()).isFalse();
        assertThat(resolveWithRequired("--skip-strict-mode").notes()).isEmpty();
    }

    @Test
    void refusesAForcedTableNameThatIsNoPlainIdentifier() throws Exception {
        assertThatThrownBy(() -> resolveWithRequired("--force-table-names=a-b").toBuilder().build())
                .hasMessageContaining("forceTableNames: `a-b` may hold only letters, digits and underscores");
        assertThatThrownBy(() -> resolveWithRequired("--force-table-names=" + "x".repeat(60)).toBuilder().build())
                .hasMessageContaining("at most 59 characters");
        assertThatThrownBy(() -> resolveWithRequired("--force-table-names=" + "x".repeat(45),
                "--timestamp-old-table").toBuilder().build())
                .hasMessageContaining("shorten forceTableNames");
    }
}
