package dev.ghost.examples.cli;

import dev.ghost.GhostException;
import dev.ghost.InvalidSettingsException;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.SchemaChangeResult;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The gh-ost-compatible command line: gh-ost's flags, output and exit codes, on ghost's engine.
 *
 * <p>Exit codes: 0 done (or help, version); 1 refused or failed, with a {@code FATAL} line; 2 the flags do not parse
 * (Go's code for that). It runs on the master with {@code --allow-on-master}, reads a replica given as --host and
 * migrates on its master (gh-ost's default), or tests or migrates on the replica itself.
 */
public final class GhostCli {

    private static final String PROGRAM = "ghost";
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    /** Reads the password for {@code --ask-pass}; empty when there is no terminal to read it from. */
    interface PasswordPrompt {
        Optional<String> read();
    }

    private final CliOutput output;
    private final PasswordPrompt passwordPrompt;
    private final UnaryOperator<String> environment;
    private final Clock clock;

    GhostCli(PrintStream out, PrintStream err, PasswordPrompt passwordPrompt, UnaryOperator<String> environment,
             Clock clock) {
        this.output = new CliOutput(out, err, clock);
        this.passwordPrompt = passwordPrompt;
        this.environment = environment;
        this.clock = clock;
    }

    public static void main(String[] args) {
        GhostCli cli = new GhostCli(System.out, System.err, GhostCli::readPasswordFromTerminal, System::getenv,
                Clock.systemDefaultZone());
        System.exit(cli.run(args));
    }

    int run(String... args) {
        ParsedFlags flags;
        try {
            flags = FlagTable.parser().parse(List.of(args));
        } catch (FlagParseException e) {
            if (e.helpRequested()) {
                output.print(usage());
                return 0;
            }
            output.err().println(e.getMessage());
            output.err().println("Run '" + PROGRAM + " --help' for the list of flags.");
            return 2;
        }
        if (flags.bool("check-flag")) {
            return checkFlags(flags);
        }
        if (flags.bool("help")) {
            output.print(usage());
            return 0;
        }
        if (flags.bool("version")) {
            output.print(PROGRAM + " " + version() + " (gh-ost compatible command line)");
            return 0;
        }

        CliOptions options;
        try {
            options = CliOptions.from(flags, environment);
        } catch (CliError e) {
            e.messages().forEach(output::fatal);
            return 1;
        }
        LogSetup.configure(options.logLevel());
        options.notes().forEach(output::warn);
        try {
            return migrate(withAskedPassword(options));
        } catch (CliError e) {
            e.messages().forEach(output::fatal);
            return 1;
        } catch (GhostException e) {
            fatal(e, options.stackTraces());
            return 1;
        } catch (RuntimeException e) {
            fatal(e, true); // not an engine verdict but a bug: the trace is what a report needs
            return 1;
        }
    }

    private int migrate(CliOptions options) throws CliError {
        Hooks hooks = new Hooks(options, output);
        OnlineSchemaChange.Builder builder = options.toBuilder().listener(hooks.listener());
        try {
            builder.build(); // every setting checked before anything connects
        } catch (InvalidSettingsException e) {
            throw new CliError(e.getMessage());
        }
        boolean readReplica = topology(options);
        OnlineSchemaChange change;
        try {
            if (readReplica) {
                builder.viaReplica(true);
                if (options.maxLag().isEmpty()) {
                    // gh-ost's default --max-lag-millis: reading a replica, the heartbeat lag is the replica's, and
                    // an unbounded lag would also lengthen the cut-over's lock (its marker travels through it).
                    builder.throttlePolicy(dev.ghost.spi.ThrottlePolicy.maxLag(java.time.Duration.ofMillis(1500)));
                }
                if (options.replica().assumeMasterHost().isPresent()) {
                    builder.master(hostPort(options.replica().assumeMasterHost().get()));
                }
                if (!options.replica().masterUser().isEmpty()) {
                    builder.masterCredentials(options.replica().masterUser(), options.replica().masterPassword());
                }
            }
            change = builder.build();
        } catch (InvalidSettingsException e) {
            throw new CliError(e.getMessage());
        }
        if (!options.execute()) {
            output.print("# Dry run (no --execute): ghost checks " + quoted(options, options.table())
                    + ", creates " + quoted(options, "_" + options.table() + "_gho") + ", applies the ALTER to it and "
                    + "drops it again. No rows are copied and the table is not changed.");
        }

        try {
            hooks.run(Hooks.ON_STARTUP, null, Map.of());
        } catch (Hooks.HookFailedException e) {
            throw new CliError(e.getMessage());
        }
        RunningMigration running = change.start();
        hooks.attach(running);
        Thread cancelOnInterrupt = new Thread(() -> cancel(running), "ghost-interrupt");
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        SchemaChangeResult result;
        try (MigrationMonitor monitor = new MigrationMonitor(running, options, output, clock).start()) {
            result = running.await();
        } catch (GhostException e) {
            hooks.runReporting(Hooks.ON_FAILURE, running.status(), Map.of());
            if (hooks.failure().isPresent()) {
                throw new CliError(hooks.failure().get());
            }
            throw e;
        } finally {
            removeShutdownHook(cancelOnInterrupt);
        }
        // gh-ost's variable: whether the ALTER ran with ALGORITHM=INSTANT
        hooks.runReporting(Hooks.ON_SUCCESS, running.status(),
                Map.of("GH_OST_INSTANT_DDL", String.valueOf(result.instantDdl() && !result.dryRun())));
        printSummary(options, result);
        return 0;
    }

    /**
     * gh-ost's topologies: with --test-on-replica or --migrate-on-replica ghost works on the replica given as --host
     * (the engine checks that it is one); a replica given as --host otherwise is read, and ghost writes on its master
     * (gh-ost's default; returns true); a master needs --allow-on-master, with gh-ost's wording.
     */
    private boolean topology(CliOptions options) throws CliError {
        if (options.replica().onReplica()) {
            return false;
        }
        Optional<String> source;
        try {
            source = ReplicaCheck.replicationSource(options.host(), options.port(), options.user(), options.password(),
                    options.connection().tls());
        } catch (SQLException e) {
            throw new CliError("cannot connect to " + options.host() + ":" + options.port() + " to check its "
                    + "replication role: " + options.connection().tls()
                    .failureReason(e, options.host() + ":" + options.port()).orElse(e.getMessage()));
        }
        if (source.isPresent() && !options.allowOnMaster()) {
            return true;
        }
        if (source.isPresent()) {
            throw new CliError(options.host() + ":" + options.port() + " replicates from " + source.get()
                    + ", but --allow-on-master says it is the master; drop --allow-on-master to read this replica and "
                    + "migrate on its master, or use --test-on-replica / --migrate-on-replica");
        }
        if (options.replica().assumeMasterHost().isPresent() && !options.allowOnMaster()) {
            throw new CliError("--assume-master-host is given, but " + options.host() + ":" + options.port()
                    + " is not a replica; point --host at a replica, or run on the master with --allow-on-master");
        }
        if (!options.allowOnMaster()) {
            // gh-ost's text, which wrappers match
            throw new CliError("it seems like this migration attempt to run directly on master. Preferably it would be "
                    + "executed on a replica (this reduces load from the master). To proceed please provide "
                    + "--allow-on-master");
        }
        return false;
    }

    /** gh-ost's host[:port] (3306 by default). */
    private static dev.ghost.ServerAddress hostPort(String address) throws CliError {
        List<dev.ghost.ServerAddress> parsed = CliOptions.addresses(address);
        if (parsed.size() != 1) {
            throw new CliError("--assume-master-host: cannot read \"" + address + "\" as host[:port]");
        }
        return parsed.get(0);
    }

    private void printSummary(CliOptions options, SchemaChangeResult result) {
        if (result.dryRun()) {
            output.print("# Dry run complete: the ALTER works on " + quoted(options, options.table())
                    + " and the migration can run; add --execute to run it");
            if (options.steps().attemptInstantDdl()) {
                output.print(result.instantDdl()
                        ? "# With --attempt-instant-ddl, ALGORITHM=INSTANT would most likely apply: no ghost table, "
                        + "no copy (the empty ghost table accepted it)"
                        : "# With --attempt-instant-ddl, ALGORITHM=INSTANT would not apply: the migration runs in full");
            }
        } else if (result.instantDdl()) {
            output.print("# Migrated " + quoted(options, options.table()) + " instantly (ALGORITHM=INSTANT) in "
                    + CliOutput.duration(result.totalTime()) + ": no ghost table, no rows copied, no cut-over");
        } else {
            output.print("# Migrated " + quoted(options, options.table())
                    + " in " + CliOutput.duration(result.totalTime())
                    + ": " + result.rowsCopied() + " rows copied, " + result.eventsApplied() + " binlog row changes "
                    + "applied; the cut-over blocked the table for " + CliOutput.duration(result.cutoverLockTime())
                    + " (" + result.cutoverAttempts() + (result.cutoverAttempts() == 1 ? " attempt)" : " attempts)")
                    + result.oldTable().map(old -> "; the old table is kept as " + old)
                            .orElse("; the old table was dropped"));
            output.print(CliOutput.resourceLine(result.cutoverLockTime(), peakHeapBytes()));
        }
        output.print("# Done");
    }

    /**
     * The heap this JVM has used at most: the sum of the heap pools' peaks. The pools peak at different moments, so
     * this is an upper bound of the true peak, which is the safe side for a memory budget.
     */
    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** On Ctrl-C or SIGTERM: cancel, so that the ghost and changelog tables are removed, and wait a little. */
    private void cancel(RunningMigration running) {
        if (running.status().state().isTerminal()) {
            return;
        }
        output.warn("interrupted: cancelling the migration");
        running.cancel();
        try {
            running.await(CANCEL_GRACE);
        } catch (TimeoutException e) {
            output.warn("the migration did not stop within " + CANCEL_GRACE.toSeconds()
                    + "s; its tables may be left behind");
        } catch (GhostException expected) {
            // the cancellation itself; the main thread reports it
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    /** {@code --check-flag}: gh-ost's way for scripts to ask whether flags exist; here, whether ghost honours them. */
    private int checkFlags(ParsedFlags flags) {
        List<String> refused = FlagTable.refusedFlags(flags);
        refused.forEach(name -> output.err().println(FlagTable.refusalWithReason(name)));
        return refused.isEmpty() ? 0 : 1;
    }

    private CliOptions withAskedPassword(CliOptions options) throws CliError {
        if (!options.askPass()) {
            return options;
        }
        String password = passwordPrompt.read().orElseThrow(() -> new CliError(
                "--ask-pass needs a terminal to read the password from; use --password or --conf instead"));
        return options.withPassword(password);
    }

    private static Optional<String> readPasswordFromTerminal() {
        Console terminal = System.console();
        if (terminal == null) {
            return Optional.empty();
        }
        char[] password = terminal.readPassword("Password: ");
        return Optional.ofNullable(password).map(String::new);
    }

    /** One line, with the causes' messages when the exception's own message does not already include them. */
    private void fatal(Throwable error, boolean withStackTrace) {
        StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            String causeMessage = cause.getMessage();
            if (causeMessage != null && !message.toString().contains(causeMessage)) {
                message.append(": ").append(causeMessage);
            }
        }
        output.fatal(message.toString());
        if (withStackTrace) {
            error.printStackTrace(output.err());
        }
    }

    private static String usage() {
        return new StringBuilder()
                .append("ghost migrates a MySQL or MariaDB table online, like gh-ost, and takes gh-ost's flags.\n")
                .append("It reads a replica and migrates on its master, or runs on the master (--allow-on-master), or "
                        + "tests or migrates on a replica (--test-on-replica, --migrate-on-replica). Without --execute "
                        + "it only checks.\n\n")
                .append(FlagTable.parser().usage(PROGRAM, FlagTable.helpRemarks()))
                .toString().stripTrailing();
    }

    /** The version Maven wrote into the jar; "unversioned" when run from classes, as gh-ost says when unbuilt. */
    private static String version() {
        try (InputStream in = GhostCli.class.getResourceAsStream(
                "/META-INF/maven/dev.ghost/ghost-examples/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unversioned");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unversioned";
    }

    private static String quoted(CliOptions options, String table) {
        return "`" + options.database() + "`.`" + table + "`";
    }
}
