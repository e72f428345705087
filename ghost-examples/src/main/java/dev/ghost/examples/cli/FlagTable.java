package dev.ghost.examples.cli;

import dev.ghost.examples.cli.GoFlags.Flag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.ghost.examples.cli.GoFlags.Flag.bool;
import static dev.ghost.examples.cli.GoFlags.Flag.decimal;
import static dev.ghost.examples.cli.GoFlags.Flag.integer;
import static dev.ghost.examples.cli.GoFlags.Flag.list;
import static dev.ghost.examples.cli.GoFlags.Flag.string;
import static dev.ghost.examples.cli.GoFlags.Flag.unsigned;

/**
 * Every flag gh-ost defines (1.1.x, with its defaults), and what ghost does with each: uses it, ignores it because
 * ignoring it cannot change the migrated table or weaken a safety net, or refuses it because doing without it would.
 * A flag given with gh-ost's default value asks for nothing ghost lacks, so it is always accepted silently.
 */
final class FlagTable {

    enum Handling { SUPPORTED, IGNORED, REFUSED }

    /**
     * @param flag      the definition, with gh-ost's name and default
     * @param handling  what ghost does with it
     * @param reason    why it is ignored or refused, for the note or the error
     * @param applies   whether a given value triggers the handling; by default: any value but gh-ost's default
     */
    record Entry(Flag flag, Handling handling, String reason, Predicate<Object> applies) {

        String name() {
            return flag.name();
        }
    }

    /** What the table says about one command line: notes for ignored flags, errors for refused ones. */
    record Verdict(List<String> notes, List<String> refusals) {
    }

    private static final String REPLICAS = "Tungsten replication is not supported";
    /**
     * gh-ost's cloud flags make it skip what those platforms hide or falsify: reading @@port for its port check, and
     * @@hostname/@@port for the server's own name. ghost does neither: it names servers as they were given.
     */
    private static final String CLOUD = "gh-ost skips its port check and its reading of @@hostname and @@port on "
            + "such platforms, which hide or rewrite them; ghost reads neither (it names servers as given), so it "
            + "needs no such switch";

    static final List<Entry> ENTRIES = List.of(
            // Connection
            supported(string("host", "127.0.0.1", "MySQL host: the master, or a replica (ghost then migrates on "
                    + "its master, or on the replica with --test-on-replica or --migrate-on-replica)")),
            supported(integer("port", 3306, "MySQL port")),
            supported(string("user", "", "MySQL user; it also reads the binlog (REPLICATION SLAVE and CLIENT)")),
            supported(string("password", "", "MySQL password")),
            supported(string("conf", "", "config file with a [client] section holding user= and password=")),
            supported(bool("ask-pass", false, "prompt for the MySQL password on the terminal")),
            supported(decimal("mysql-timeout", 0, "connect timeout of every MySQL connection, and read timeout of "
                    + "those whose statements are short (heartbeat, throttle checks, migration lock), in seconds; the "
                    + "copy and the replay get ten times as long (at least 300 s); 0: connect 10 s, read 30 s")),
            supported(integer("mysql-wait-timeout", 0, "ghost's own: the session wait_timeout of every MySQL "
                    + "connection ghost opens, in seconds; 0: the server's")),
            ignored(string("charset", "utf8mb4,utf8,latin1", "character sets to try for the connection"),
                    "ghost's connections always use utf8mb4 (the JDBC driver's UTF-8), which holds every character "
                            + "of every character set; rows are copied and replayed by INSERT/REPLACE ... SELECT inside "
                            + "the server, and the key values ghost sends are converted to the column's character set "
                            + "by the server, so no value can be lost to the connection's character set"),
            supported(string("assume-master-host", "", "the master, as host[:port], when ghost reads a replica and "
                    + "should not find its master through the replica's replication status")),
            supported(string("master-user", "", "MySQL user on the master, if it differs (reading a replica)")),
            supported(string("master-password", "", "MySQL password on the master, if it differs (reading a "
                    + "replica)")),
            supported(bool("ssl", false, "use TLS for every MySQL connection, the binlog stream's included, and "
                    + "verify the server's certificate (its CA, and that it names the host connected to); without "
                    + "it ghost encrypts when the server offers TLS, unverified")),
            supported(string("ssl-ca", "", "with --ssl: trust only the CA certificates in this PEM file, instead "
                    + "of the JVM's default trust store")),
            supported(string("ssl-cert", "", "with --ssl: client certificate (PEM) to present; needs --ssl-key")),
            supported(string("ssl-key", "", "with --ssl: the client certificate's private key (PEM, unencrypted "
                    + "PKCS#8 or PKCS#1 RSA)")),
            supported(bool("ssl-allow-insecure", false, "with --ssl: encrypt, but do not verify the server's "
                    + "certificate")),
            ignored(bool("skip-port-validation", false, "do not check that the server's port matches --port"),
                    "ghost never compares @@port with --port (gh-ost's check against connecting to the wrong "
                            + "server through a proxy or tunnel): it accepts any server it reaches, so there is no check "
                            + "to skip"),

            // What to migrate
            supported(string("database", "", "database name (or name it in --alter)")),
            supported(string("table", "", "table name (or name it in --alter)")),
            supported(string("alter", "", "the ALTER statement, or just its clauses, e.g. \"ADD COLUMN c INT\"")),
            supported(bool("execute", false, "really migrate; without it ghost checks everything, proves the ALTER on "
                    + "an empty ghost table, and drops it again")),
            refusedWhen(string("storage-engine", "innodb", "storage engine of the table: innodb (rocksdb is "
                            + "refused)"), value -> !"innodb".equalsIgnoreCase(String.valueOf(value)),
                    "ghost migrates InnoDB tables only: gh-ost's rocksdb mode (MyRocks tables, copied under READ "
                            + "COMMITTED) is not implemented; use innodb"),
            supported(string("force-table-names", "", "name the ghost, changelog, checkpoint and old tables after "
                    + "this instead of the table: _<name>_gho, _<name>_ghc, _<name>_ghk, _<name>_del (letters, "
                    + "digits, underscores; at most 59 characters). The atomic cut-over's sentry stays <table>_gcs")),
            supported(bool("attempt-instant-ddl", false, "first try the ALTER on the table itself with "
                    + "ALGORITHM=INSTANT (MariaDB 10.3+, MySQL 8.0+): when the server takes it, the migration is done "
                    + "without a ghost table; else the full migration runs. It waits for the table's metadata lock "
                    + "up to --cut-over-lock-timeout-seconds, retried up to --default-retries. Without --execute: "
                    + "says whether it would apply")),

            // Topology
            supported(bool("allow-on-master", false, "run on the master (or use --test-on-replica / "
                    + "--migrate-on-replica on a replica)")),
            supported(bool("test-on-replica", false, "migrate on a replica, stop its replication, swap the tables "
                    + "and swap them back, and leave replication stopped for a comparison")),
            supported(bool("test-on-replica-skip-replica-stop", false, "with --test-on-replica: keep replicating")),
            supported(bool("migrate-on-replica", false, "migrate and cut over on a replica, stopping its replication "
                    + "for the cut-over and starting it again after")),
            refused(bool("tungsten", false, "the topology uses Tungsten replication"), REPLICAS),
            supported(bool("allow-master-master", false, "allow a master-master setup: the master ghost writes on may "
                    + "replicate from the other master")),
            supported(string("throttle-control-replicas", "", "replicas whose lag throttles the copy, as "
                    + "host[:port] comma separated; the copy pauses while one lags more than --max-lag-millis or "
                    + "cannot be read")),
            ignored(bool("aliyun-rds", false, "the server is Aliyun RDS"), CLOUD),
            ignored(bool("gcp", false, "the server is a 1st generation Google Cloud SQL"), CLOUD),
            ignored(bool("azure", false, "the server is Azure Database for MySQL"), CLOUD),

            // Table checks and data
            supported(bool("exact-rowcount", false, "count the rows (SELECT COUNT(*)) for a precise estimate")),
            ignored(bool("concurrent-rowcount", true, "with --exact-rowcount: count while copying"),
                    "ghost's --exact-rowcount counts the rows before the copy starts (gh-ost's "
                            + "--concurrent-rowcount=false); the count only feeds the progress estimate, so either "
                            + "value migrates the same rows"),
            supported(bool("allow-nullable-unique-key", false,
                    "allow a unique key with NULLable columns to identify rows (they must hold no NULLs)")),
            supported(bool("approve-renamed-columns", false,
                    "confirm that CHANGE old new renames the column: copy its values under the new name")),
            supported(bool("skip-renamed-columns", false,
                    "treat renamed columns as unrelated: their values are not copied")),
            supported(bool("discard-foreign-keys", false,
                    "migrate a table with child-side foreign keys; the new table has none")),
            ignored(bool("skip-foreign-key-checks", false, "trust that there are no foreign keys"),
                    "ghost runs its own table checks whatever this flag says"),
            supported(bool("skip-strict-mode", false, "copy and replay under the server's own sql_mode; without "
                    + "it ghost adds STRICT_ALL_TABLES, so that a replayed value the new column cannot hold fails the "
                    + "migration instead of being stored truncated")),
            supported(bool("allow-zero-in-date", false, "allow zero dates in the new table's definition (a zero "
                    + "DEFAULT); without it the new table is created under the server's global sql_mode. Zero dates "
                    + "stored in rows are copied and replayed as they are either way")),
            supported(bool("checksum", true,
                    "ghost's own: before the cut-over, prove by checksum that the new table holds exactly the "
                            + "original's rows, re-copying ranges that differ (--checksum=false: cut over unverified)")),
            supported(bool("defer-secondary-indexes", false,
                    "ghost's own: build the new table's non-unique secondary indexes after the copy, online, "
                            + "instead of row by row through it (much faster); when not given ghost does so only on a "
                            + "master without replicas, whose replication would lag through the build")),
            supported(bool("panic-on-warnings", false,
                    "stop before the cut-over when copying produces warnings that mean data loss "
                            + "(default: on when the ALTER adds a unique key or changes a column type)")),
            supported(bool("include-triggers", false, "create the table's triggers on the new table, at the "
                    + "cut-over (with --trigger-suffix); without it a table with triggers is refused")),
            supported(string("trigger-suffix", "", "suffix added to the names of the triggers created on the new "
                    + "table, e.g. _v2; letters, digits and underscores; required with --include-triggers")),
            supported(bool("remove-trigger-suffix-if-exists", false, "a trigger name that already ends with "
                    + "--trigger-suffix loses it instead of getting it twice; requires --include-triggers")),
            supported(bool("analyze-ghost-table-before-cutover", false, "ANALYZE TABLE the ghost table right "
                    + "before the cut-over, so the new table starts with fresh statistics; if it fails, no cut-over "
                    + "and the migration fails")),

            // Binlog
            supported(bool("assume-rbr", false, "trust that binlog_format is ROW (ghost never restarts replication)")),
            supported(bool("switch-to-rbr", false, "on the replica ghost reads, set binlog_format=ROW and restart "
                    + "replication when it is not ROW (the setting stays)")),
            supported(bool("gtid", false, "start the binlog reader by GTID (MySQL needs gtid_mode=ON and "
                    + "enforce_gtid_consistency=ON; MariaDB always has GTIDs); default: by file and offset")),
            supported(unsigned("replica-server-id", 99999, "server id used to read the binlog (ghost picks a random "
                    + "one unless this is given)")),
            ignored(integer("binlogsyncer-max-reconnect-attempts", 0, "binlog reconnect attempts, 0 for no limit"),
                    "ghost's binlog reader reconnects on its own terms"),

            // Copy and throttling
            supported(integer("chunk-size", 1000, "rows per copy chunk (10..100000), fixed; when not given ghost "
                    + "adapts the size to --chunk-time")),
            supported(decimal("chunk-time", 0.1, "ghost's own: how long a copy chunk should take, in seconds "
                    + "(0.01..10); the chunk size adapts after every chunk, from 1000 rows within 10..100000. A chunk "
                    + "holds shared locks on its rows while it runs: a writer touching one waits up to this long")),
            supported(integer("copy-threads", 1, "ghost's own: chunks copied at once, each on a connection of its "
                    + "own (1..32); when not given ghost chooses")),
            supported(integer("dml-batch-size", 10, "changed keys the replay applies per transaction and connection "
                    + "(1..1000); when not given ghost uses its own default")),
            supported(integer("replay-threads", 2, "ghost's own: connections that apply the binlog at once (1..32); "
                    + "each round of changed keys is split among them by key")),
            supported(integer("default-retries", 60, "how often a failing step is retried")),
            supported(integer("heartbeat-interval-millis", 100, "how often the heartbeat is written (100..1000)")),
            supported(string("throttle-query", "", "throttle the copy while this query returns a value above zero")),
            supported(string("throttle-flag-file", "", "throttle the copy while this file exists")),
            supported(string("throttle-additional-flag-file", "/tmp/gh-ost.throttle",
                    "throttle the copy while this file exists; shared by all migrations")),
            supported(string("max-load", "", "throttle while a status variable reaches its threshold, "
                    + "e.g. Threads_running=25,Threads_connected=500")),
            supported(integer("max-lag-millis", 1500, "throttle the copy while the heartbeat lag exceeds this; "
                    + "when not given ghost does not throttle on lag")),
            supported(string("critical-load", "", "stop the migration when a status variable reaches its "
                    + "threshold, e.g. Threads_running=1000")),
            supported(integer("critical-load-interval-millis", 0, "with --critical-load: when reached, look again "
                    + "after this long and stop only if it is still reached")),
            supported(integer("critical-load-hibernate-seconds", 0, "with --critical-load: instead of stopping, "
                    + "pause the copy this long")),
            supported(decimal("nice-ratio", 0, "rest this many times the chunk's copy time after each chunk "
                    + "(0..100)")),
            supported(string("throttle-http", "", "throttle while a HEAD request to this URL does not answer 200")),
            supported(integer("throttle-http-interval-millis", 100, "how often --throttle-http is checked")),
            supported(integer("throttle-http-timeout-millis", 1000, "timeout of the --throttle-http check")),
            supported(bool("ignore-http-errors", false, "do not throttle when --throttle-http cannot be reached")),
            ignored(string("replication-lag-query", "", "deprecated in gh-ost"), "it is deprecated in gh-ost too"),

            // Cut-over
            supported(string("postpone-cut-over-flag-file", "", "hold the cut-over while this file exists")),
            supported(integer("cut-over-lock-timeout-seconds", 3, "how long a cut-over attempt may wait for and hold "
                    + "its locks (1..10)")),
            supported(string("cut-over", "atomic", "cut-over kind: atomic (or default) or two-step (the table is "
                    + "missing for a moment); unset, atomic")),
            supported(bool("cut-over-exponential-backoff", false, "wait 1, 2, 4 ... seconds between cut-over attempts")),
            supported(integer("exponential-backoff-max-interval", 64, "the longest wait between cut-over attempts "
                    + "with --cut-over-exponential-backoff, in seconds")),
            ignored(bool("allow-setup-metadata-lock-instruments", false, "enable performance_schema's metadata lock "
                    + "instrument for the cut-over check"), "ghost's cut-over does not read performance_schema"),
            ignored(bool("skip-metadata-lock-check", false, "skip the metadata lock check at cut-over"),
                    "ghost's cut-over does not read performance_schema"),
            supported(bool("force-named-cut-over", false, "the interactive cut-over command must name the table: "
                    + "unpostpone=<table>")),
            supported(bool("force-named-panic", false, "the interactive panic command must name the table: "
                    + "panic=<table>")),

            // Cleanup
            supported(bool("ok-to-drop-table", false, "drop the old table after the cut-over")),
            supported(bool("initially-drop-old-table", false, "drop an old table (_<table>_del) left by a run")),
            supported(bool("initially-drop-ghost-table", false, "drop a ghost table (_<table>_gho) left by a run")),
            supported(bool("timestamp-old-table", false, "name the old table _<table>_<yyyyMMddHHmmss>_del")),

            // Control
            supported(string("serve-socket-file", "", "unix socket for interactive commands; "
                    + "when not given /tmp/gh-ost.<database>.<table>.sock")),
            supported(bool("initially-drop-socket-file", false, "remove a stale socket file before listening")),
            supported(integer("serve-tcp-port", 0, "TCP port on 127.0.0.1 for interactive commands (0: none)")),
            supported(string("panic-flag-file", "", "stop the migration as soon as this file appears "
                    + "(ghost cleans up, unlike gh-ost)")),
            supported(string("hooks-path", "", "directory of hook scripts, run at each step with GH_OST_* "
                    + "variables (gh-ost-on-startup, gh-ost-on-before-cut-over, ...)")),
            supported(string("hooks-hint", "", "text passed to hooks as GH_OST_HOOKS_HINT")),
            supported(string("hooks-hint-owner", "", "owner name passed to hooks as GH_OST_HOOKS_HINT_OWNER")),
            supported(string("hooks-hint-token", "", "token passed to hooks as GH_OST_HOOKS_HINT_TOKEN")),
            supported(integer("hooks-status-interval", 60, "seconds between gh-ost-on-status hooks")),
            supported(bool("checkpoint", false, "write checkpoints to _<table>_ghk so that an interrupted run can "
                    + "be finished with --resume")),
            supported(integer("checkpoint-seconds", 300, "seconds between checkpoints (given alone, it turns "
                    + "--checkpoint on)")),
            supported(bool("resume", false, "finish an interrupted run from its last checkpoint (same --alter; the "
                    + "ghost table is kept, --initially-drop-ghost-table is ignored)")),
            supported(bool("revert", false, "undo a completed migration run with --checkpoint: bring --old-table "
                    + "up to date from the binlog since its cut-over and swap it back (--alter is not needed)")),
            supported(string("old-table", "", "with --revert: the old table to revert to (_<table>_del)")),
            supported(string("statsd-addr", "", "StatsD (UDP) endpoint host:port; empty sends no metrics")),
            supported(list("statsd-tags", "StatsD tag key:value added to every metric (repeatable)")),
            supported(integer("runtime-metrics-interval", 10, "with --statsd-addr: seconds between JVM runtime "
                    + "gauges; 0 sends none")),

            // Output
            supported(bool("quiet", false, "log errors only (wins over --verbose and --debug)")),
            supported(bool("verbose", false, "log progress (the default in ghost)")),
            supported(bool("debug", false, "log debug details")),
            supported(bool("stack", false, "print the stack trace of a fatal error")),
            supported(bool("help", false, "print this help")),
            supported(bool("version", false, "print the version")),
            supported(bool("check-flag", false, "exit 0 when ghost supports every other flag given, 1 when it "
                    + "refuses one, 2 when one does not exist; give values to flags that need them")));

    private FlagTable() {
    }

    static GoFlags parser() {
        return new GoFlags(ENTRIES.stream().map(Entry::flag).toList());
    }

    /** The remarks {@code --help} adds under ignored and refused flags. */
    static Map<String, String> helpRemarks() {
        Map<String, String> remarks = new LinkedHashMap<>();
        for (Entry entry : ENTRIES) {
            switch (entry.handling()) {
                case IGNORED -> remarks.put(entry.name(), "ignored by ghost: " + entry.reason());
                case REFUSED -> remarks.put(entry.name(), "not supported yet by ghost: " + entry.reason());
                case SUPPORTED -> { }
            }
        }
        return remarks;
    }

    /**
     * Every flag and what ghost does with it, as the README's table shows it (a test keeps the two equal): supported
     * flags with their usage, the others with their reason.
     */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| flag | in ghost | what it does, or why not |\n|---|---|---|\n");
        for (Entry entry : ENTRIES) {
            String handling = switch (entry.handling()) {
                case SUPPORTED -> "supported";
                case IGNORED -> "accepted, no effect";
                case REFUSED -> "refused";
            };
            String text = entry.handling() == Handling.SUPPORTED ? entry.flag().usage() : entry.reason();
            table.append("| `--").append(entry.name()).append("` | ").append(handling).append(" | ")
                    .append(text.replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return table.toString();
    }

    static Verdict judge(ParsedFlags flags) {
        List<String> notes = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Entry entry : ENTRIES) {
            if (!flags.differsFromDefault(entry.name()) || !entry.applies().test(flags.value(entry.name()))) {
                continue;
            }
            switch (entry.handling()) {
                case IGNORED -> notes.add("flag --" + entry.name() + " is ignored by ghost: " + entry.reason());
                case REFUSED -> refusals.add(refusal(entry.name()) + ": " + entry.reason());
                case SUPPORTED -> { }
            }
        }
        return new Verdict(List.copyOf(notes), List.copyOf(refusals));
    }

    /** For {@code --check-flag}: the flags given that ghost refuses whatever their value (or for the value given). */
    static List<String> refusedFlags(ParsedFlags flags) {
        return ENTRIES.stream()
                .filter(entry -> entry.handling() == Handling.REFUSED && flags.isSet(entry.name())
                        && entry.applies().test(flags.value(entry.name())))
                .map(Entry::name)
                .toList();
    }

    static String refusal(String name) {
        return "flag --" + name + " is not supported yet by ghost";
    }

    /** The refusal with its reason, for {@code --check-flag}. */
    static String refusalWithReason(String name) {
        String reason = ENTRIES.stream().filter(entry -> entry.name().equals(name)).map(Entry::reason).findFirst()
                .orElse("");
        return refusal(name) + (reason.isEmpty() ? "" : ": " + reason);
    }

    private static Entry supported(Flag flag) {
        return new Entry(flag, Handling.SUPPORTED, "", value -> false);
    }

    private static Entry ignored(Flag flag, String reason) {
        return new Entry(flag, Handling.IGNORED, reason, value -> true);
    }

    private static Entry refused(Flag flag, String reason) {
        return new Entry(flag, Handling.REFUSED, reason, value -> true);
    }

    private static Entry refusedWhen(Flag flag, Predicate<Object> when, String reason) {
        return new Entry(flag, Handling.REFUSED, reason, when);
    }
}
