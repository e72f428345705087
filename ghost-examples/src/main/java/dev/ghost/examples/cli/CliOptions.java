package dev.ghost.examples.cli;

import dev.ghost.BinlogPositioning;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.ServerAddress;
import dev.ghost.Tls;
import dev.ghost.spi.CutoverStrategy;
import dev.ghost.spi.ThrottlePolicy;
import dev.ghost.event.StatsdListener;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * What a gh-ost command line asks ghost to do, resolved and checked: defaults applied, values clamped the way gh-ost
 * clamps them, credentials merged from {@code --conf}. Immutable; {@link #toBuilder()} maps it onto the public API.
 *
 * @param notes warnings for the operator: flags ghost ignores, values it had to change
 * @param gtid  {@code --gtid}: the binlog reader starts by GTID rather than by file and offset
 * @param checksum {@code --checksum} (ghost's own, default true): verify the new table before the cut-over
 * @param deferSecondaryIndexes {@code --defer-secondary-indexes} (ghost's own) when given; else ghost's default
 * @param chunkSize {@code --chunk-size} when given: a fixed size; else the size adapts to {@code chunkTime}
 * @param chunkTime {@code --chunk-time} (ghost's own): how long a copy chunk should take
 * @param copyThreads {@code --copy-threads} (ghost's own) when given; else ghost's default
 * @param replayThreads {@code --replay-threads} (ghost's own): connections that apply the binlog at once
 */
record CliOptions(
        String host, int port, String user, String password, boolean askPass,
        String database, String table, String alter,
        boolean execute, boolean allowOnMaster,
        OptionalInt chunkSize, Duration chunkTime, OptionalInt copyThreads, OptionalInt dmlBatchSize,
        OptionalInt replayThreads, int defaultRetries,
        Duration cutoverLockTimeout, Duration heartbeatInterval,
        boolean okToDropTable, boolean initiallyDropGhostTable, boolean initiallyDropOldTable, boolean exactRowCount,
        boolean approveRenamedColumns, boolean skipRenamedColumns, boolean discardForeignKeys,
        boolean allowNullableUniqueKey, boolean allowZeroInDate, Optional<Boolean> panicOnWarnings,
        Optional<Path> postponeCutoverFlagFile, Path serveSocketFile, boolean initiallyDropSocketFile,
        Optional<Path> panicFlagFile,
        Optional<String> throttleQuery, List<Path> throttleFlagFiles, String maxLoad,
        Optional<Duration> maxLag, ThrottleFlags throttles,
        LogLevel logLevel, boolean stackTraces,
        List<String> notes, CutoverFlags cutover, HookFlags hooks, ControlFlags control, boolean gtid,
        boolean checksum, Optional<Boolean> deferSecondaryIndexes, ReplicaFlags replica,
        CheckpointFlags checkpoints, ConnectionFlags connection, StepFlags steps, TriggerFlags triggers,
        StatsdFlags statsd) {

    /**
     * gh-ost's optional steps: {@code --attempt-instant-ddl} (the ALTER with ALGORITHM=INSTANT on the table first;
     * dropped with a note under --revert and --resume, which have no new ALTER to run) and
     * {@code --analyze-ghost-table-before-cutover}.
     */
    record StepFlags(boolean attemptInstantDdl, boolean analyzeGhostTableBeforeCutover) {
        static final StepFlags NONE = new StepFlags(false, false);
    }

    /**
     * gh-ost's {@code --include-triggers}, {@code --trigger-suffix} and {@code --remove-trigger-suffix-if-exists};
     * checked with gh-ost's texts.
     */
    record TriggerFlags(boolean include, String suffix, boolean removeSuffix) {
        static final TriggerFlags NONE = new TriggerFlags(false, "", false);
    }

    /**
     * gh-ost's {@code --checkpoint}, {@code --checkpoint-seconds} and {@code --resume}. A {@code --checkpoint-seconds}
     * given on its own turns checkpoints on: nobody sets their interval without wanting them.
     */
    record CheckpointFlags(boolean enabled, Duration interval, boolean resume, Optional<String> revertTo) {
        static final CheckpointFlags NONE = new CheckpointFlags(false, Duration.ofSeconds(300), false,
                Optional.empty());
    }

    /**
     * gh-ost's {@code --mysql-timeout} (seconds; empty: ghost's defaults), ghost's own {@code --mysql-wait-timeout}
     * (seconds; empty: the server's wait_timeout), and the TLS of every connection from {@code --ssl},
     * {@code --ssl-ca}, {@code --ssl-cert}, {@code --ssl-key} and {@code --ssl-allow-insecure}.
     */
    record ConnectionFlags(Optional<Duration> mysqlTimeout, Optional<Duration> waitTimeout, Tls tls,
                           boolean skipStrictMode) {
        static final ConnectionFlags NONE = new ConnectionFlags(Optional.empty(), Optional.empty(), Tls.preferred(),
                false);
    }

    /**
     * gh-ost's replica topology flags: test or migrate on the replica given as --host (with the replica's
     * replication stopped for the cut-over, or kept running), and the master named by --assume-master-host.
     */
    record ReplicaFlags(boolean testOnReplica, boolean skipReplicaStop, boolean migrateOnReplica,
                        Optional<String> assumeMasterHost, List<ServerAddress> controlReplicas, String masterUser,
                        String masterPassword, boolean allowMasterMaster, boolean switchToRbr, long replicaServerId) {
        static final ReplicaFlags NONE = new ReplicaFlags(false, false, false, Optional.empty(), List.of(), "", "",
                false, false, 0);

        boolean onReplica() {
            return testOnReplica || migrateOnReplica;
        }
    }

    /**
     * gh-ost's cut-over flags: the kind (null: ghost chooses by server), backoff, old-table name, named command, and
     * the base of the helper tables' names ({@code --force-table-names}; empty: the table's).
     */
    record CutoverFlags(String kind, boolean exponentialBackoff, Duration backoffMaxInterval, boolean timestampOldTable,
                        boolean forceNamed, String forceTableNames) {
    }

    /**
     * gh-ost's other throttle flags: critical load (empty: none) with its second look and hibernation, the nice
     * ratio, and the HTTP check.
     */
    record ThrottleFlags(String criticalLoad, Duration criticalLoadInterval, Duration criticalLoadHibernate,
                         double niceRatio, Optional<URI> throttleHttp, Duration httpInterval, Duration httpTimeout,
                         boolean ignoreHttpErrors) {
    }

    /** gh-ost's hook flags: the directory (empty: no hooks), the hints passed on, the on-status interval. */
    record HookFlags(Optional<Path> path, String hint, String hintOwner, String hintToken, int statusInterval) {
    }

    /**
     * gh-ost's {@code --statsd-addr} (empty host: no metrics), {@code --statsd-tags} (each flag may hold several,
     * comma-separated, as gh-ost's help shows) and {@code --runtime-metrics-interval} (zero: no runtime gauges).
     */
    record StatsdFlags(String host, int port, List<String> tags, Duration runtimeMetricsInterval) {
        static final StatsdFlags NONE = new StatsdFlags("", 0, List.of(), Duration.ofSeconds(10));

        StatsdFlags {
            tags = List.copyOf(tags);
        }

        boolean enabled() {
            return !host.isEmpty();
        }
    }

    /** gh-ost's interactive-command flags beyond the socket file: the TCP port (0: none) and the named panic. */
    record ControlFlags(int serveTcpPort, boolean forceNamedPanic) {
    }

    /** How much the engine logs: gh-ost's {@code --quiet}, {@code --verbose} (ghost's default) and {@code --debug}. */
    enum LogLevel { ERROR, INFO, DEBUG }

    static final int DEFAULT_RETRIES = 60;
    static final Duration DEFAULT_CUTOVER_LOCK_TIMEOUT = Duration.ofSeconds(3);

    CliOptions {
        throttleFlagFiles = List.copyOf(throttleFlagFiles);
        notes = List.copyOf(notes);
    }

    /**
     * Resolves parsed flags; refuses (before anything connects) flags ghost cannot honour.
     *
     * @param environment reads environment variables, for {@code ${NAME}} in the {@code --conf} file
     */
    static CliOptions from(ParsedFlags flags, UnaryOperator<String> environment) throws CliError {
        FlagTable.Verdict verdict = FlagTable.judge(flags);
        if (!verdict.refusals().isEmpty()) {
            throw new CliError(verdict.refusals());
        }
        checkCombinations(flags);
        List<String> notes = new ArrayList<>(verdict.notes());

        // gh-ost's own fatal texts for the three mandatory settings, which wrappers may match
        String alterText = flags.string("alter");
        boolean revert = flags.bool("revert");
        if (alterText.isBlank() && !revert) { // a revert reads its migration's ALTER from the checkpoint
            throw new CliError("--alter must be provided and statement must not be empty");
        }
        if (revert && flags.string("old-table").isBlank()) {
            throw new CliError("--revert requires --old-table: the old table of the migration to revert "
                    + "(_<table>_del)");
        }
        AlterStatement alter = AlterStatement.parse(alterText);
        String database = nonEmpty(flags.string("database")).or(alter::schema).orElseThrow(() -> new CliError(
                "--database must be provided and database name must not be empty, "
                        + "or --alter must specify database name"));
        String table = nonEmpty(flags.string("table")).or(alter::table).orElseThrow(() -> new CliError(
                "--table must be provided and table name must not be empty, or --alter must specify table name"));

        String user = flags.string("user");
        String password = flags.string("password");
        if (!flags.string("conf").isEmpty()) {
            ConfFile conf = readConf(Path.of(flags.string("conf")), environment);
            // as in gh-ost: the command line wins; an empty value counts as not given
            user = nonEmpty(user).or(() -> conf.user().filter(s -> !s.isEmpty())).orElse("");
            password = nonEmpty(password).or(() -> conf.password().filter(s -> !s.isEmpty())).orElse("");
        }

        return new CliOptions(
                flags.string("host"), saturatedInt(flags.integer("port")), user, password, flags.bool("ask-pass"),
                database, table, alterText,
                flags.bool("execute"), flags.bool("allow-on-master"),
                flags.isSet("chunk-size")
                        ? OptionalInt.of((int) clamp(flags, "chunk-size", 10, 100_000, notes)) : OptionalInt.empty(),
                chunkTime(flags, notes),
                flags.isSet("copy-threads")
                        ? OptionalInt.of((int) clamp(flags, "copy-threads", 1, 32, notes)) : OptionalInt.empty(),
                flags.isSet("dml-batch-size")
                        ? OptionalInt.of((int) clamp(flags, "dml-batch-size", 1, 1000, notes)) : OptionalInt.empty(),
                flags.isSet("replay-threads")
                        ? OptionalInt.of((int) clamp(flags, "replay-threads", 1, 32, notes)) : OptionalInt.empty(),
                defaultRetries(flags, notes),
                cutoverLockTimeout(flags, notes),
                Duration.ofMillis(clamp(flags, "heartbeat-interval-millis", 100, 1000, notes)),
                flags.bool("ok-to-drop-table"), flags.bool("initially-drop-ghost-table"),
                flags.bool("initially-drop-old-table"), flags.bool("exact-rowcount"),
                flags.bool("approve-renamed-columns"), flags.bool("skip-renamed-columns"),
                flags.bool("discard-foreign-keys"), flags.bool("allow-nullable-unique-key"),
                flags.bool("allow-zero-in-date"),
                flags.isSet("panic-on-warnings") ? Optional.of(flags.bool("panic-on-warnings")) : Optional.empty(),
                path(flags, "postpone-cut-over-flag-file"),
                path(flags, "serve-socket-file").orElse(Path.of("/tmp/gh-ost." + database + "." + table + ".sock")),
                flags.bool("initially-drop-socket-file"),
                path(flags, "panic-flag-file"),
                nonEmpty(flags.string("throttle-query")),
                throttleFlagFiles(flags),
                statusThresholds(flags, "max-load"),
                flags.isSet("max-lag-millis")
                        ? Optional.of(Duration.ofMillis(Math.max(100, flags.integer("max-lag-millis"))))
                        : Optional.empty(),
                throttleFlags(flags, notes),
                logLevel(flags), flags.bool("stack"),
                notes, new CutoverFlags(flags.isSet("cut-over") ? flags.string("cut-over") : null,
                        flags.bool("cut-over-exponential-backoff"),
                        Duration.ofSeconds(clamp(flags, "exponential-backoff-max-interval", 1, 3600, notes)),
                        flags.bool("timestamp-old-table"), flags.bool("force-named-cut-over"),
                        flags.string("force-table-names")),
                new HookFlags(path(flags, "hooks-path"), flags.string("hooks-hint"), flags.string("hooks-hint-owner"),
                        flags.string("hooks-hint-token"),
                        (int) clamp(flags, "hooks-status-interval", 1, 86_400, notes)),
                new ControlFlags(saturatedInt(flags.integer("serve-tcp-port")), flags.bool("force-named-panic")),
                flags.bool("gtid"), flags.bool("checksum"),
                flags.isSet("defer-secondary-indexes") ? Optional.of(flags.bool("defer-secondary-indexes"))
                        : Optional.empty(),
                new ReplicaFlags(flags.bool("test-on-replica"), flags.bool("test-on-replica-skip-replica-stop"),
                        flags.bool("migrate-on-replica"), nonEmpty(flags.string("assume-master-host")),
                        addresses(flags.string("throttle-control-replicas")), flags.string("master-user"),
                        flags.string("master-password"), flags.bool("allow-master-master"), flags.bool("switch-to-rbr"),
                        flags.isSet("replica-server-id") ? flags.integer("replica-server-id") : 0),
                new CheckpointFlags(flags.bool("checkpoint") || flags.isSet("checkpoint-seconds"),
                        Duration.ofSeconds(clamp(flags, "checkpoint-seconds", 10, 7 * 86_400, notes)),
                        flags.bool("resume"),
                        revert ? Optional.of(flags.string("old-table")) : Optional.empty()),
                connectionFlags(flags, notes), stepFlags(flags, revert, notes), triggerFlags(flags, revert, notes),
                statsdFlags(flags, notes));
    }

    /**
     * {@code --statsd-addr=host:port} ({@code [ipv6]:port} too); checked here, host name resolved included, so that a
     * typo fails before the migration starts rather than losing every metric. gh-ost's Unix socket form is refused:
     * ghost sends over UDP only.
     */
    private static StatsdFlags statsdFlags(ParsedFlags flags, List<String> notes) throws CliError {
        String address = flags.string("statsd-addr").trim();
        List<String> tags = flags.list("statsd-tags").stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim).filter(tag -> !tag.isEmpty()).toList();
        long intervalSeconds = Math.max(0, flags.integer("runtime-metrics-interval"));
        if (address.isEmpty()) {
            if (!tags.isEmpty() || flags.isSet("runtime-metrics-interval")) {
                notes.add("--statsd-tags and --runtime-metrics-interval have no effect without --statsd-addr");
            }
            return StatsdFlags.NONE;
        }
        if (address.startsWith("unix://") || address.startsWith("/")) {
            throw new CliError("--statsd-addr=" + address + ": ghost sends StatsD metrics over UDP only; give "
                    + "host:port (e.g. 127.0.0.1:8125)");
        }
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new CliError("--statsd-addr=" + address + " is not host:port with a port in 1..65535 "
                    + "(e.g. 127.0.0.1:8125)");
        }
        try {
            StatsdListener.builder(host, port).tags(tags); // resolves the host and checks the tags
        } catch (IllegalArgumentException e) {
            throw new CliError("--statsd-addr/--statsd-tags: " + e.getMessage());
        }
        return new StatsdFlags(host, port, tags, Duration.ofSeconds(Math.min(intervalSeconds, 86_400)));
    }

    /** As gh-ost, --attempt-instant-ddl is ignored with a warning by a revert; a resume has no new ALTER to try either. */
    private static StepFlags stepFlags(ParsedFlags flags, boolean revert, List<String> notes) {
        boolean instant = flags.bool("attempt-instant-ddl");
        if (instant && (revert || flags.bool("resume"))) {
            notes.add("--attempt-instant-ddl was provided with --" + (revert ? "revert" : "resume")
                    + ", it will be ignored: that run has no new ALTER to apply");
            instant = false;
        }
        return new StepFlags(instant, flags.bool("analyze-ghost-table-before-cutover"));
    }

    /**
     * gh-ost's checks and texts: a suffix is required with --include-triggers and refused without it, and holds only
     * letters, digits and underscores. With --revert the trigger flags are ignored, as in gh-ost: the old table
     * swapped back kept its triggers.
     */
    private static TriggerFlags triggerFlags(ParsedFlags flags, boolean revert, List<String> notes)
            throws CliError {
        boolean include = flags.bool("include-triggers");
        String suffix = flags.string("trigger-suffix");
        if (revert) {
            if (include) {
                notes.add("--include-triggers was provided with --revert, it will be ignored");
            }
            return TriggerFlags.NONE;
        }
        if (include && suffix.isEmpty()) {
            throw new CliError("--trigger-suffix must be used with --include-triggers");
        }
        if (!include && !suffix.isEmpty()) {
            throw new CliError("--trigger-suffix cannot be be used without --include-triggers");
        }
        if (!suffix.isEmpty() && !suffix.matches("[0-9a-zA-Z_]+")) {
            throw new CliError("--trigger-suffix must contain only alpha numeric characters and underscore "
                    + "(0-9,a-z,A-Z,_)");
        }
        if (flags.bool("remove-trigger-suffix-if-exists") && !include) {
            throw new CliError("--remove-trigger-suffix-if-exists requires --include-triggers and --trigger-suffix");
        }
        return new TriggerFlags(include, suffix, flags.bool("remove-trigger-suffix-if-exists"));
    }

    /** gh-ost's 0 means "the defaults"; a timeout too short for any statement is raised to 0.1 s. */
    private static ConnectionFlags connectionFlags(ParsedFlags flags, List<String> notes) throws CliError {
        double seconds = flags.decimal("mysql-timeout");
        Optional<Duration> timeout = Optional.empty();
        if (seconds < 0) {
            notes.add("--mysql-timeout=" + seconds + " is negative; using ghost's defaults");
        } else if (seconds > 0) {
            double kept = Math.max(0.1, seconds);
            if (kept != seconds) {
                notes.add("--mysql-timeout=" + seconds + " is below 0.1; using 0.1");
            }
            timeout = Optional.of(Duration.ofNanos(Math.round(kept * 1e9)));
        }
        long wait = flags.integer("mysql-wait-timeout");
        Optional<Duration> waitTimeout = Optional.empty();
        if (wait != 0) {
            waitTimeout = Optional.of(Duration.ofSeconds(clamp(flags, "mysql-wait-timeout", 1, 31_536_000, notes)));
        }
        return new ConnectionFlags(timeout, waitTimeout, tls(flags, notes), flags.bool("skip-strict-mode"));
    }

    /**
     * gh-ost's TLS flags: {@code --ssl} verifies the server's certificate and host name, {@code --ssl-allow-insecure}
     * verifies nothing, {@code --ssl-ca} replaces the default trust store; every other flag needs {@code --ssl}, as
     * in gh-ost. Without {@code --ssl}, ghost's default: TLS when the server offers it, unverified.
     */
    private static Tls tls(ParsedFlags flags, List<String> notes) throws CliError {
        boolean ssl = flags.bool("ssl");
        for (String name : List.of("ssl-ca", "ssl-cert", "ssl-key")) {
            if (!flags.string(name).isEmpty() && !ssl) {
                throw new CliError("--" + name + " requires --ssl"); // gh-ost's text
            }
        }
        if (flags.bool("ssl-allow-insecure") && !ssl) {
            throw new CliError("--ssl-allow-insecure requires --ssl");
        }
        if (!ssl) {
            return Tls.preferred();
        }
        Tls tls = flags.bool("ssl-allow-insecure") ? Tls.required() : Tls.verifyIdentity();
        Optional<Path> ca = path(flags, "ssl-ca");
        if (ca.isPresent()) {
            if (flags.bool("ssl-allow-insecure")) {
                notes.add("--ssl-ca is not used with --ssl-allow-insecure: the server's certificate is not verified");
            }
            tls = tls.ca(ca.get());
        }
        Optional<Path> certificate = path(flags, "ssl-cert");
        Optional<Path> key = path(flags, "ssl-key");
        if (certificate.isPresent() != key.isPresent()) {
            throw new CliError(certificate.isPresent() ? "--ssl-cert requires --ssl-key: the client certificate's "
                    + "private key" : "--ssl-key requires --ssl-cert: the certificate the key belongs to");
        }
        if (certificate.isPresent()) {
            tls = tls.clientCertificate(certificate.get(), key.get());
        }
        return tls;
    }

    /** The same options with another password (from {@code --ask-pass}). */
    CliOptions withPassword(String newPassword) {
        return new CliOptions(host, port, user, newPassword, askPass, database, table, alter, execute, allowOnMaster,
                chunkSize, chunkTime, copyThreads, dmlBatchSize, replayThreads, defaultRetries, cutoverLockTimeout,
                heartbeatInterval,
                okToDropTable,
                initiallyDropGhostTable, initiallyDropOldTable, exactRowCount, approveRenamedColumns,
                skipRenamedColumns, discardForeignKeys, allowNullableUniqueKey, allowZeroInDate, panicOnWarnings,
                postponeCutoverFlagFile,
                serveSocketFile, initiallyDropSocketFile, panicFlagFile, throttleQuery, throttleFlagFiles, maxLoad,
                maxLag, throttles, logLevel, stackTraces, notes, cutover, hooks, control, gtid, checksum,
                deferSecondaryIndexes, replica, checkpoints, connection, steps, triggers, statsd);
    }

    /** The builder call for each option; {@code build()} then validates them all. */
    OnlineSchemaChange.Builder toBuilder() {
        OnlineSchemaChange.Builder builder = OnlineSchemaChange.builder()
                .connection(host, port, user, password)
                .database(database)
                .table(table)
                .alter(alter)
                .dryRun(!execute)
                .chunkTime(chunkTime)
                .defaultRetries(defaultRetries)
                .cutoverLockTimeout(cutoverLockTimeout)
                .heartbeatInterval(heartbeatInterval)
                .okToDropTable(okToDropTable)
                .initiallyDropGhostTable(initiallyDropGhostTable)
                .initiallyDropOldTable(initiallyDropOldTable)
                .exactRowCount(exactRowCount)
                .approveRenamedColumns(approveRenamedColumns)
                .skipRenamedColumns(skipRenamedColumns)
                .discardForeignKeys(discardForeignKeys)
                .allowNullableUniqueKey(allowNullableUniqueKey)
                .allowZeroInDate(allowZeroInDate)
                .includeTriggers(triggers.include())
                .triggerSuffix(triggers.suffix())
                .removeTriggerSuffixIfExists(triggers.removeSuffix())
                .serveSocketFile(serveSocketFile)
                .initiallyDropSocketFile(initiallyDropSocketFile)
                .serveTcpPort(control.serveTcpPort())
                .forceNamedPanic(control.forceNamedPanic())
                .binlogPositioning(gtid ? BinlogPositioning.GTID : BinlogPositioning.FILE_OFFSET)
                .checksum(checksum)
                .testOnReplica(replica.testOnReplica())
                .testOnReplicaSkipReplicaStop(replica.skipReplicaStop())
                .migrateOnReplica(replica.migrateOnReplica())
                .throttleControlReplicas(replica.controlReplicas())
                .allowMasterMaster(replica.allowMasterMaster())
                .switchToRbr(replica.switchToRbr())
                .replicaServerId(replica.replicaServerId())
                .attemptInstantDdl(steps.attemptInstantDdl())
                .analyzeGhostTableBeforeCutover(steps.analyzeGhostTableBeforeCutover());
        chunkSize.ifPresent(builder::chunkSize);
        copyThreads.ifPresent(builder::copyThreads);
        dmlBatchSize.ifPresent(builder::dmlBatchSize);
        replayThreads.ifPresent(builder::replayThreads);
        deferSecondaryIndexes.ifPresent(builder::deferSecondaryIndexes);
        builder.checkpoint(checkpoints.enabled()).checkpointInterval(checkpoints.interval())
                .resume(checkpoints.resume());
        checkpoints.revertTo().ifPresent(builder::revert);
        connection.mysqlTimeout().ifPresent(builder::mysqlTimeout);
        connection.waitTimeout().ifPresent(builder::mysqlWaitTimeout);
        builder.tls(connection.tls()).skipStrictMode(connection.skipStrictMode());
        if ("two-step".equals(cutover.kind())) {
            builder.cutoverStrategy(CutoverStrategy.twoStep());
        } else if ("atomic".equals(cutover.kind())) {
            builder.cutoverStrategy(CutoverStrategy.atomic());
        }
        builder.cutoverExponentialBackoff(cutover.exponentialBackoff())
                .exponentialBackoffMaxInterval(cutover.backoffMaxInterval())
                .timestampOldTable(cutover.timestampOldTable())
                .forceNamedCutover(cutover.forceNamed())
                .forceTableNames(cutover.forceTableNames());
        panicOnWarnings.ifPresent(builder::panicOnWarnings);
        postponeCutoverFlagFile.ifPresent(builder::postponeCutoverFlagFile);
        throttleQuery.ifPresent(builder::throttleQuery);
        throttleFlagFiles.forEach(file -> builder.throttlePolicy(ThrottlePolicy.flagFile(file)));
        if (!maxLoad.isEmpty()) {
            builder.throttlePolicy(ThrottlePolicy.maxLoad(maxLoad));
        }
        maxLag.ifPresent(limit -> builder.throttlePolicy(ThrottlePolicy.maxLag(limit)));
        if (!throttles.criticalLoad().isEmpty()) {
            builder.throttlePolicy(ThrottlePolicy.criticalLoad(throttles.criticalLoad(),
                    throttles.criticalLoadInterval(), throttles.criticalLoadHibernate()));
        }
        if (throttles.niceRatio() > 0) {
            builder.throttlePolicy(ThrottlePolicy.niceRatio(throttles.niceRatio()));
        }
        // Without --throttle-http too: the socket command throttle-http=<url> may set one, checked as the flags say.
        builder.throttlePolicy(ThrottlePolicy.throttleHttp(throttles.throttleHttp().orElse(null),
                throttles.httpInterval(), throttles.httpTimeout(), throttles.ignoreHttpErrors()));
        if (statsd.enabled()) {
            builder.listener(StatsdListener.builder(statsd.host(), statsd.port()).tags(statsd.tags())
                    .runtimeMetricsInterval(statsd.runtimeMetricsInterval()).build());
        }
        return builder;
    }

    /** gh-ost's cross-flag checks that still matter once the refused flags are gone. */
    private static void checkCombinations(ParsedFlags flags) throws CliError {
        if (flags.bool("switch-to-rbr") && flags.bool("assume-rbr")) {
            throw new CliError("--switch-to-rbr and --assume-rbr are mutually exclusive");
        }
        if (flags.integer("checkpoint-seconds") < 10) {
            throw new CliError("--checkpoint-seconds should be >=10");
        }
        String cutOver = flags.string("cut-over");
        if (!List.of("atomic", "default", "", "two-step").contains(cutOver)) {
            throw new CliError("Unknown cut-over: " + cutOver);
        }
    }

    /** gh-ost silently keeps a value inside its range; ghost does the same and says so. */
    private static long clamp(ParsedFlags flags, String name, long min, long max, List<String> notes) {
        long given = flags.integer(name);
        long kept = Math.max(min, Math.min(max, given));
        if (kept != given) {
            notes.add("--" + name + "=" + given + " is outside " + min + ".." + max + "; using " + kept);
        }
        return kept;
    }

    /** Seconds, as pt-online-schema-change's --chunk-time, kept within what the builder accepts. */
    private static Duration chunkTime(ParsedFlags flags, List<String> notes) {
        double seconds = flags.decimal("chunk-time");
        double kept = Math.max(0.01, Math.min(10, seconds));
        if (kept != seconds) {
            notes.add("--chunk-time=" + seconds + " is outside 0.01..10; using " + kept);
        }
        return Duration.ofNanos(Math.round(kept * 1e9));
    }

    /** gh-ost keeps its default when asked for no retries at all. */
    private static int defaultRetries(ParsedFlags flags, List<String> notes) {
        long retries = flags.integer("default-retries");
        if (retries > 0) {
            return saturatedInt(retries);
        }
        notes.add("--default-retries=" + retries + " is not positive; using " + DEFAULT_RETRIES);
        return DEFAULT_RETRIES;
    }

    /** gh-ost reports a timeout outside 1..10 s and keeps its default of 3 s. */
    private static Duration cutoverLockTimeout(ParsedFlags flags, List<String> notes) {
        long seconds = flags.integer("cut-over-lock-timeout-seconds");
        if (seconds >= 1 && seconds <= 10) {
            return Duration.ofSeconds(seconds);
        }
        notes.add("--cut-over-lock-timeout-seconds=" + seconds + " is outside 1..10; using "
                + DEFAULT_CUTOVER_LOCK_TIMEOUT.toSeconds());
        return DEFAULT_CUTOVER_LOCK_TIMEOUT;
    }

    /** {@code --max-load} and {@code --critical-load}: checked here, so that a typo stops the run before it starts. */
    private static String statusThresholds(ParsedFlags flags, String name) throws CliError {
        String text = flags.string(name).trim();
        try {
            ThrottlePolicy.maxLoad(text);
        } catch (IllegalArgumentException e) {
            throw new CliError("--" + name + ": " + e.getMessage());
        }
        return text;
    }

    private static ThrottleFlags throttleFlags(ParsedFlags flags, List<String> notes) throws CliError {
        double nice = flags.decimal("nice-ratio");
        double niceKept = Double.isNaN(nice) ? 0 : Math.max(0, Math.min(100, nice));
        if (niceKept != nice) {
            notes.add("--nice-ratio=" + nice + " is outside 0..100; using " + niceKept);
        }
        Optional<URI> http = nonEmpty(flags.string("throttle-http")).map(text -> {
            try {
                URI url = new URI(text);
                boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
                return web && url.getHost() != null ? url : null;
            } catch (URISyntaxException e) {
                return null;
            }
        });
        if (flags.isSet("throttle-http") && !flags.string("throttle-http").isEmpty() && http.isEmpty()) {
            throw new CliError("--throttle-http: not an http(s) URL: " + flags.string("throttle-http"));
        }
        return new ThrottleFlags(statusThresholds(flags, "critical-load"),
                Duration.ofMillis(Math.max(0, flags.integer("critical-load-interval-millis"))),
                Duration.ofSeconds(Math.max(0, flags.integer("critical-load-hibernate-seconds"))),
                niceKept, http,
                Duration.ofMillis(clamp(flags, "throttle-http-interval-millis", 1, 3_600_000, notes)),
                Duration.ofMillis(clamp(flags, "throttle-http-timeout-millis", 1, 3_600_000, notes)),
                flags.bool("ignore-http-errors"));
    }

    /** Both of gh-ost's throttle flag files; the additional one has a default, shared by all migrations. */
    /** gh-ost's host[:port] list, comma separated; the port defaults to 3306. */
    static List<ServerAddress> addresses(String list) throws CliError {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String item : list.split(",")) {
            String address = item.trim();
            if (address.isEmpty()) {
                continue;
            }
            int colon = address.lastIndexOf(':');
            try {
                addresses.add(colon < 0 ? ServerAddress.of(address, 3306)
                        : ServerAddress.of(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
            } catch (RuntimeException e) {
                throw new CliError("--throttle-control-replicas: cannot read \"" + address + "\" as host[:port]");
            }
        }
        return addresses;
    }

    private static List<Path> throttleFlagFiles(ParsedFlags flags) {
        List<Path> files = new ArrayList<>();
        path(flags, "throttle-flag-file").ifPresent(files::add);
        path(flags, "throttle-additional-flag-file").ifPresent(files::add);
        return files;
    }

    private static LogLevel logLevel(ParsedFlags flags) {
        if (flags.bool("quiet")) {
            return LogLevel.ERROR; // gh-ost: --quiet overrides the others
        }
        return flags.bool("debug") ? LogLevel.DEBUG : LogLevel.INFO;
    }

    private static ConfFile readConf(Path file, UnaryOperator<String> environment) throws CliError {
        try {
            return ConfFile.read(file, environment);
        } catch (IOException e) {
            throw new CliError("--conf: cannot read " + file + ": " + e);
        }
    }

    /** Out-of-range numbers stay out of range, so that the builder's validation reports them. */
    private static int saturatedInt(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static Optional<Path> path(ParsedFlags flags, String name) {
        return nonEmpty(flags.string(name)).map(Path::of);
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
