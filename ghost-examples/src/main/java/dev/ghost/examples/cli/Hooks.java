package dev.ghost.examples.cli;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;
import dev.ghost.RunningMigration;
import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.MigrationListener;
import dev.ghost.event.StateChange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * gh-ost's hooks ({@code --hooks-path}): at each step, every executable file in the directory whose name starts with
 * the step's hook name ({@code gh-ost-on-startup}, {@code gh-ost-on-before-cut-over}, ...) runs, in name order, with
 * {@code GH_OST_*} environment variables that describe the migration. As in gh-ost, a failing hook (exit status not
 * zero) stops the migration, except on-status, on-success and on-failure, whose failures are reported only; a failing
 * on-before-cut-over fails that cut-over attempt, which is retried; a failing on-interactive-command refuses that
 * command (it is not applied, the socket answers why) and the migration goes on.
 *
 * <p>{@code gh-ost-on-interactive-command} runs for every command received on the socket, before it is applied, with
 * the command's name (the part before {@code =}, without the argument, as in gh-ost) in {@code GH_OST_COMMAND}.
 * gh-ost passes that value wrapped in single quotes ({@code 'throttle'}), an artefact of how it builds the variable;
 * ghost passes the bare name, as it passes {@code GH_OST_STATUS}. A script that strips the quotes works with both.
 */
final class Hooks {

    static final String ON_STARTUP = "gh-ost-on-startup";
    static final String ON_VALIDATED = "gh-ost-on-validated";
    static final String ON_ROWCOUNT_COMPLETE = "gh-ost-on-rowcount-complete";
    static final String ON_BEFORE_ROW_COPY = "gh-ost-on-before-row-copy";
    static final String ON_ROW_COPY_COMPLETE = "gh-ost-on-row-copy-complete";
    static final String ON_BEGIN_POSTPONED = "gh-ost-on-begin-postponed";
    static final String ON_BEFORE_CUT_OVER = "gh-ost-on-before-cut-over";
    static final String ON_INTERACTIVE_COMMAND = "gh-ost-on-interactive-command";
    static final String ON_SUCCESS = "gh-ost-on-success";
    static final String ON_FAILURE = "gh-ost-on-failure";
    static final String ON_STATUS = "gh-ost-on-status";

    /** A hook ended with a status other than zero, or could not be started. */
    static final class HookFailedException extends Exception {
        HookFailedException(String message) {
            super(message);
        }
    }

    private final CliOptions options;
    private final CliOutput output;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile RunningMigration migration;
    private final CountDownLatch attached = new CountDownLatch(1);
    private volatile long lastStatusSecond;

    Hooks(CliOptions options, CliOutput output) {
        this.options = options;
        this.output = output;
    }

    /** The first hook failure that stopped the migration, for the final message. */
    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Runs the hooks named {@code hook}; a status adds the progress variables. */
    void run(String hook, MigrationStatus status, Map<String, String> extra) throws HookFailedException {
        Optional<Path> dir = options.hooks().path();
        if (dir.isEmpty()) {
            return;
        }
        List<Path> scripts;
        try (Stream<Path> files = Files.list(dir.get())) {
            scripts = files.filter(f -> f.getFileName().toString().startsWith(hook))
                    .filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).sorted().toList();
        } catch (IOException e) {
            throw new HookFailedException("cannot list --hooks-path " + dir.get() + ": " + e.getMessage());
        }
        for (Path script : scripts) {
            ProcessBuilder builder = new ProcessBuilder(script.toString()).redirectErrorStream(true);
            builder.environment().putAll(environment(status));
            builder.environment().putAll(extra);
            try {
                Process process = builder.start();
                String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new HookFailedException("hook " + script + " failed with exit status " + exit
                            + (said.isEmpty() ? "" : ": " + said));
                }
            } catch (IOException e) {
                throw new HookFailedException("hook " + script + " could not run: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HookFailedException("hook " + script + " was interrupted");
            }
        }
    }

    /** Runs a hook whose failure is only reported. */
    void runReporting(String hook, MigrationStatus status, Map<String, String> extra) {
        try {
            run(hook, status, extra);
        } catch (HookFailedException e) {
            output.warn(e.getMessage());
        }
    }

    /** The listener that runs the hooks of the migration's steps; {@code migration} is the handle to stop. */
    MigrationListener listener() {
        return new MigrationListener() {
            @Override
            public void stateChanged(StateChange change) {
                RunningMigration running = attachedMigration();
                MigrationStatus status = running == null ? null : running.status();
                MigrationState state = change.to();
                if (state == MigrationState.PREPARING) {
                    stopping(ON_VALIDATED, status);
                } else if (state == MigrationState.COPYING) {
                    stopping(ON_ROWCOUNT_COMPLETE, status);
                    stopping(ON_BEFORE_ROW_COPY, status);
                } else if (state == MigrationState.CATCHING_UP && change.from() == MigrationState.COPYING) {
                    stopping(ON_ROW_COPY_COMPLETE, status);
                } else if (state == MigrationState.POSTPONED) {
                    stopping(ON_BEGIN_POSTPONED, status);
                }
            }

            @Override
            public void progress(MigrationStatus status) {
                long second = status.elapsed().toSeconds();
                int interval = options.hooks().statusInterval();
                if (status.state() == MigrationState.COPYING && second - lastStatusSecond >= interval) {
                    lastStatusSecond = second;
                    runReporting(ON_STATUS, status, Map.of("GH_OST_STATUS", status.statusLine()));
                }
            }

            @Override
            public boolean approveCutover(String table, int attempt) {
                RunningMigration running = attachedMigration();
                try {
                    run(ON_BEFORE_CUT_OVER, running == null ? null : running.status(), Map.of());
                    return true;
                } catch (HookFailedException e) {
                    output.warn(e.getMessage() + "; this cut-over attempt fails");
                    return false;
                }
            }

            /** A failing hook refuses the command: the engine answers the socket with this exception's message. */
            @Override
            public boolean approveCommand(InteractiveCommand command) {
                RunningMigration running = attachedMigration();
                try {
                    run(ON_INTERACTIVE_COMMAND, running == null ? null : running.status(),
                            Map.of("GH_OST_COMMAND", command.command()));
                    return true;
                } catch (HookFailedException e) {
                    output.warn(e.getMessage() + "; the command \"" + command.line() + "\" is refused");
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        };
    }

    /** Gives the hooks the handle to stop; a hook that failed before the handle existed stops it now. */
    void attach(RunningMigration running) {
        this.migration = running;
        attached.countDown();
        if (failure.get() != null) {
            running.cancel();
        }
    }

    /** The handle, once {@link #attach} gave it: the engine's first steps can come before {@code start()} returns. */
    private RunningMigration attachedMigration() {
        try {
            attached.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return migration;
    }

    private void stopping(String hook, MigrationStatus status) {
        try {
            run(hook, status, Map.of());
        } catch (HookFailedException e) {
            if (failure.compareAndSet(null, e.getMessage())) {
                output.warn(e.getMessage() + "; stopping the migration");
            }
            RunningMigration running = migration;
            if (running != null) {
                running.cancel();
            }
        }
    }

    /** gh-ost's variables; the progress ones only when there is a status. */
    Map<String, String> environment(MigrationStatus status) {
        Map<String, String> env = new LinkedHashMap<>();
        String host = options.host() + ":" + options.port();
        env.put("GH_OST_DATABASE_NAME", options.database());
        env.put("GH_OST_TABLE_NAME", options.table());
        env.put("GH_OST_GHOST_TABLE_NAME", "_" + options.table() + "_gho");
        env.put("GH_OST_OLD_TABLE_NAME", "_" + options.table() + "_del");
        env.put("GH_OST_DDL", options.alter());
        env.put("GH_OST_MIGRATED_HOST", host);
        env.put("GH_OST_INSPECTED_HOST", host);
        env.put("GH_OST_EXECUTING_HOST", localHostName());
        env.put("GH_OST_HOOKS_HINT", options.hooks().hint());
        env.put("GH_OST_HOOKS_HINT_OWNER", options.hooks().hintOwner());
        env.put("GH_OST_HOOKS_HINT_TOKEN", options.hooks().hintToken());
        env.put("GH_OST_DRY_RUN", Boolean.toString(!options.execute()));
        env.put("GH_OST_REVERT", "false");
        if (status != null) {
            env.put("GH_OST_ELAPSED_SECONDS", Long.toString(status.elapsed().toSeconds()));
            env.put("GH_OST_ELAPSED_COPY_SECONDS", Long.toString(status.copyElapsed().toSeconds()));
            env.put("GH_OST_ESTIMATED_ROWS", Long.toString(status.rowEstimate()));
            env.put("GH_OST_COPIED_ROWS", Long.toString(status.rowsCopied()));
            env.put("GH_OST_INSPECTED_LAG", seconds(status.lag()));
            env.put("GH_OST_HEARTBEAT_LAG", seconds(status.lag()));
            env.put("GH_OST_PROGRESS", String.format(Locale.ROOT, "%.2f", status.copyPercent()));
            env.put("GH_OST_ETA_SECONDS", status.eta().map(eta -> Long.toString(eta.toSeconds())).orElse("N/A"));
        }
        return env;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }
}
