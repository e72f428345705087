package dev.ghost.examples.cli;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.RunningMigration;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a running migration once a second: prints gh-ost's status line on gh-ost's cadence (with its
 * {@code # Migrating ...} reminder at the start and every ten minutes), and cancels the migration when the
 * {@code --panic-flag-file} appears. Everything but {@link #close()} runs on the one ticker thread.
 */
final class MigrationMonitor implements AutoCloseable {

    private static final int HINT_INTERVAL_SECONDS = 600;
    private static final DateTimeFormatter RUBY_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);

    private final RunningMigration migration;
    private final CliOptions options;
    private final CliOutput output;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ghost-status");
        thread.setDaemon(true);
        return thread;
    });

    private MigrationState lastState;
    private long lastInterestSecond;
    private long lastPrintedSecond = -1;
    private long lastHintSecond = -1;
    private boolean panicked;
    private boolean statusFailureReported;

    MigrationMonitor(RunningMigration migration, CliOptions options, CliOutput output, Clock clock) {
        this.migration = migration;
        this.options = options;
        this.output = output;
        this.clock = clock;
    }

    MigrationMonitor start() {
        ticker.scheduleAtFixedRate(this::tickSafely, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    void tick() {
        cancelOnPanicFile();
        if (!options.execute()) {
            return; // a dry run copies nothing: no progress to report
        }
        MigrationStatus status = migration.status();
        MigrationState state = status.state();
        long now = status.elapsed().toSeconds();
        boolean stateChanged = state != lastState;
        lastState = state;
        if (stateChanged) {
            lastInterestSecond = now;
        }
        // like gh-ost, report from the start of the copy on; the summary covers the end
        if (state.ordinal() < MigrationState.COPYING.ordinal() || state.isTerminal()) {
            return;
        }
        boolean hintDue = lastHintSecond < 0 || StatusCadence.due(lastHintSecond, now, HINT_INTERVAL_SECONDS);
        if (hintDue) {
            printHint(status);
            lastHintSecond = now;
        }
        int interval = StatusCadence.intervalSeconds(status.elapsed(), timeLeft(status),
                Duration.ofSeconds(now - lastInterestSecond));
        if (hintDue || stateChanged || StatusCadence.due(lastPrintedSecond, now, interval)) {
            output.print(status.statusLine());
            lastPrintedSecond = now;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            if (!statusFailureReported) { // once: a broken status must not flood the output every second
                statusFailureReported = true;
                output.warn("cannot read the migration's status: " + e);
            }
        }
    }

    /** gh-ost stops at once without cleaning up; ghost cancels, which removes what it created. */
    private void cancelOnPanicFile() {
        Optional<Path> panicFile = options.panicFlagFile();
        if (panicked || panicFile.isEmpty() || !Files.exists(panicFile.get())) {
            return;
        }
        panicked = true;
        output.warn("found panic-flag-file " + panicFile.get() + "; stopping the migration, leaving its tables");
        migration.panic();
    }

    /** Zero once the copy is done: gh-ost's "ETA: due", which makes it report every second. */
    private static Optional<Duration> timeLeft(MigrationStatus status) {
        return status.state().ordinal() >= MigrationState.CATCHING_UP.ordinal()
                ? Optional.of(Duration.ZERO) : status.eta();
    }

    private void printHint(MigrationStatus status) {
        String server = options.host() + ":" + options.port();
        output.print("# Migrating " + quoted(options.table()) + "; Ghost table is "
                + quoted("_" + options.table() + "_gho"));
        output.print("# Migrating " + server + "; inspecting " + server + "; executing on " + localHostName());
        output.print("# Migration started at " + ZonedDateTime.now(clock).minus(status.elapsed()).format(RUBY_DATE));
        output.print("# chunk-size: " + status.chunkSize()
                + "; max-lag-millis: " + options.maxLag().map(lag -> lag.toMillis() + "ms").orElse("none")
                + "; dml-batch-size: " + (options.dmlBatchSize().isPresent()
                        ? Integer.toString(options.dmlBatchSize().getAsInt()) : "ghost's default")
                + "; max-load: " + options.maxLoad() + "; critical-load: " + options.throttles().criticalLoad()
                + String.format(Locale.ROOT, "; nice-ratio: %f", options.throttles().niceRatio()));
        if (options.chunkSize().isEmpty()) {
            output.print(String.format(Locale.ROOT, "# chunk-time: %.3fs (the chunk size adapts to it)",
                    options.chunkTime().toNanos() / 1e9));
        }
        options.throttleFlagFiles().forEach(file -> output.print("# throttle-flag-file: " + withSetMark(file)));
        options.throttleQuery().ifPresent(query -> output.print("# throttle-query: " + query));
        options.postponeCutoverFlagFile().ifPresent(file ->
                output.print("# postpone-cut-over-flag-file: " + withSetMark(file)));
        options.panicFlagFile().ifPresent(file -> output.print("# panic-flag-file: " + file));
        output.print("# Serving on unix socket: " + options.serveSocketFile());
        if (options.control().serveTcpPort() > 0) {
            output.print("# Serving on TCP port: " + options.control().serveTcpPort());
        }
    }

    private String quoted(String table) {
        return "`" + options.database() + "`.`" + table + "`";
    }

    private static String withSetMark(Path file) {
        return Files.exists(file) ? file + " [set]" : file.toString();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown host";
        }
    }
}
