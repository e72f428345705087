package dev.ghost.examples.bench;

import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ghost.examples.bench.MigrationBenchmark.print;

/**
 * ghost's command line against the server's own {@code ALTER ... ALGORITHM=COPY} and pt-online-schema-change, on the
 * same server in the same run, interleaved: each run times every tool on an idle table, then every tool under a
 * sysbench {@code oltp_write_only} load, with the load's tps before and during, its seconds at zero tps and its
 * errors; ghost's cut-over lock and peak heap come from its last summary line. Ends with a table of medians.
 *
 * <p>Every tool is timed from the outside, as a user would: ghost and pt-osc as child processes (JVM and Perl start-up
 * included), the native ALTER as one JDBC statement. Run it with {@code ghost-examples/bin/side-by-side}, which
 * installs sysbench, percona-toolkit and MariaDB when missing. Properties:
 * {@code -Dbench.server=system|embedded|external -Dbench.rows=1000000 -Dbench.runs=3 -Dbench.writers=4
 * -Dbench.alter="ENGINE=InnoDB" -Dbench.undo=... -Dbench.tools=native,ptosc,ghost -Dbench.load=idle,loaded
 * -Dbench.ghostArgs="..." -Dbench.ghostHeap=256m -Dbench.baselineSeconds=10 -Dbench.ghostCommand=.../bin/ghost
 * -Dbench.sysbench=/usr/bin/sysbench}.
 */
public final class SideBySideBenchmark {

    private static final String TABLE = "sbtest1";
    /** The line {@code ghost} prints last after a migration (see the CLI's CliOutput.resourceLine). */
    private static final Pattern GHOST_RESOURCES = Pattern.compile(
            "# ghost: cut-over lock (\\d+(?:\\.\\d+)?) ms; peak heap (\\d+) MB");
    private static final Path PT_OSC = Path.of("/usr/bin/pt-online-schema-change");

    private final Settings settings;
    private final TestDatabase db;
    private final Path logDir;
    private final String originalDefinition;

    /** The benchmark's properties, read once. */
    record Settings(TestServer.Kind server, int rows, int runs, int writers, String alter, String undo,
                    List<String> tools, boolean idle, boolean loaded, List<String> ghostArgs, String ghostHeap,
                    int baselineSeconds, Path ghostCommand) {

        static Settings fromSystemProperties() {
            List<String> loads = list(System.getProperty("bench.load", "idle,loaded"));
            String ghostArgs = System.getProperty("bench.ghostArgs", "").strip();
            return new Settings(
                    TestServer.Kind.valueOf(System.getProperty("bench.server", "system").strip().toUpperCase(Locale.ROOT)),
                    Integer.getInteger("bench.rows", 1_000_000),
                    Integer.getInteger("bench.runs", 3),
                    Integer.getInteger("bench.writers", 4),
                    System.getProperty("bench.alter", "ENGINE=InnoDB").strip(),
                    System.getProperty("bench.undo", "").strip(),
                    list(System.getProperty("bench.tools", "native,ptosc,ghost")),
                    loads.contains("idle"), loads.contains("loaded"),
                    ghostArgs.isEmpty() ? List.of() : List.of(ghostArgs.split("\\s+")),
                    System.getProperty("bench.ghostHeap", "").strip(),
                    Integer.getInteger("bench.baselineSeconds", 10),
                    Path.of(System.getProperty("bench.ghostCommand", defaultGhostCommand().toString())));
        }

        private static List<String> list(String value) {
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        }

        /** {@code ghost-examples/bin/ghost}, next to the jar's (or the classes') {@code target} directory. */
        private static Path defaultGhostCommand() {
            try {
                Path code = Path.of(SideBySideBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return code.getParent().getParent().resolve("bin").resolve("ghost");
            } catch (Exception e) {
                return Path.of("ghost-examples", "bin", "ghost");
            }
        }
    }

    /** One timed run of a tool. Lock and heap are empty where the tool does not report them. */
    private record ToolRun(double seconds, OptionalDouble lockMs, OptionalDouble heapMb) {
    }

    private SideBySideBenchmark(Settings settings, TestDatabase db, Path logDir) {
        this.settings = settings;
        this.db = db;
        this.logDir = logDir;
        this.originalDefinition = definition();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Settings settings = Settings.fromSystemProperties();
        List<String> tools = availableTools(settings);
        Path logDir = Files.createTempDirectory("ghost-side-by-side-");
        // The buffer pool holds the table and its copy, as on a server sized for its data: with the test servers'
        // 256 MB, 1M rows and their copy no longer fit, every tool turns disk-bound, and under load ghost's replay
        // falls behind the writers (measured: 9k row events/s applied against their 24k). -Dghost.test.bufferPool=...
        if (System.getProperty("ghost.test.bufferPool") == null) {
            System.setProperty("ghost.test.bufferPool", "1G");
        }
        try (TestServer server = TestServer.start(settings.server())) {
            print("server: %s (%s), buffer pool %s; table: %,d rows (sysbench shape); alter: %s; runs: %d; tools: %s",
                    settings.server(), server.version(), System.getProperty("ghost.test.bufferPool"), settings.rows(), settings.alter(), settings.runs(),
                    String.join(", ", tools));
            print("ghost: %s%s%s; tool logs in %s", settings.ghostCommand(),
                    settings.ghostHeap().isEmpty() ? "" : ", -Xmx" + settings.ghostHeap(),
                    settings.ghostArgs().isEmpty() ? "" : ", extra flags " + String.join(" ", settings.ghostArgs()),
                    logDir);
            TestDatabase db = server.createDatabase("bench");
            long start = System.nanoTime();
            MigrationBenchmark.createSysbenchTable(db, settings.rows());
            print("table created in %.1f s", (System.nanoTime() - start) / 1e9);
            new SideBySideBenchmark(settings, db, logDir).run(tools);
        }
        System.exit(0);
    }

    /** The tools asked for that can run here; the others are named and dropped. */
    private static List<String> availableTools(Settings settings) {
        List<String> tools = new ArrayList<>();
        for (String tool : settings.tools()) {
            switch (tool) {
                case "native", "ghost" -> tools.add(tool);
                case "ptosc", "pt-osc" -> {
                    if (Files.isExecutable(PT_OSC)) {
                        tools.add("ptosc");
                    } else {
                        print("pt-osc skipped: %s is missing (apt-get install -y percona-toolkit)", PT_OSC);
                    }
                }
                default -> throw new IllegalArgumentException("-Dbench.tools: unknown tool \"" + tool
                        + "\"; choose from native, ptosc, ghost");
            }
        }
        if (tools.contains("ghost") && !Files.isExecutable(settings.ghostCommand())) {
            throw new IllegalStateException(settings.ghostCommand() + " is missing; set -Dbench.ghostCommand");
        }
        return tools;
    }

    private void run(List<String> tools) throws Exception {
        Map<String, SideBySideTable.Figures> figures = new LinkedHashMap<>();
        tools.forEach(tool -> figures.put(displayName(tool), new SideBySideTable.Figures()));
        String loadDescription = null;
        for (int run = 1; run <= settings.runs(); run++) {
            if (settings.idle()) {
                for (String tool : tools) {
                    SideBySideTable.Figures f = figures.get(displayName(tool));
                    try {
                        ToolRun result = runTool(tool, run + "-idle");
                        f.idleSeconds.add(result.seconds());
                        result.lockMs().ifPresent(f.idleLockMs::add);
                        result.heapMb().ifPresent(f.idleHeapMb::add);
                        print("run %d, idle:   %-6s %7.2f s%s", run, displayName(tool), result.seconds(),
                                extras(result));
                    } catch (ToolFailedException e) {
                        f.failures.add("run " + run + " idle: " + e.getMessage());
                        print("run %d, idle:   %-6s FAILED: %s", run, displayName(tool), e.getMessage());
                    }
                    resetTable();
                }
            }
            if (settings.loaded()) {
                for (String tool : tools) {
                    SideBySideTable.Figures f = figures.get(displayName(tool));
                    try (ForegroundLoad load = startLoad()) {
                        loadDescription = load.description();
                        load.samples().awaitCount(1 + settings.baselineSeconds(),
                                Duration.ofSeconds(60 + settings.baselineSeconds()));
                        long from = System.nanoTime();
                        ToolRun result;
                        try {
                            result = runTool(tool, run + "-loaded");
                        } catch (ToolFailedException e) {
                            f.failures.add("run " + run + " under load: " + e.getMessage());
                            print("run %d, loaded: %-6s FAILED: %s", run, displayName(tool), e.getMessage());
                            continue;
                        }
                        long to = System.nanoTime();
                        load.samples().awaitReportCovering(to, Duration.ofSeconds(10));
                        List<ForegroundLoad.Sample> samples = load.samples().snapshot();
                        double before = ForegroundLoad.baseline(samples, from, settings.baselineSeconds());
                        ForegroundLoad.During during = ForegroundLoad.during(samples, from, to);
                        f.loadedSeconds.add(result.seconds());
                        f.tpsBefore.add(before);
                        f.tpsDuring.add(during.tps());
                        f.tpsShare.add(during.tps() / before);
                        f.secondsAtZero.add((double) during.secondsAtZero());
                        f.errors.add((double) during.errors());
                        result.lockMs().ifPresent(f.loadedLockMs::add);
                        result.heapMb().ifPresent(f.loadedHeapMb::add);
                        print("run %d, loaded: %-6s %7.2f s; tps %.0f before, %.0f during (%.0f%%); %d s at 0 tps; "
                                        + "%d errors%s", run, displayName(tool), result.seconds(), before, during.tps(),
                                100 * during.tps() / before, during.secondsAtZero(), during.errors(), extras(result));
                    } finally {
                        resetTable();
                    }
                }
            }
        }
        print("");
        print("medians over %d run(s): %,d rows, ALTER TABLE %s %s%s", settings.runs(), settings.rows(), TABLE,
                settings.alter(), loadDescription == null ? "" : "; load: " + loadDescription);
        new SideBySideTable(figures).lines().forEach(line -> print("%s", line));
        print("times are wall times seen from outside (ghost: JVM start-up included); ×native and ×pt-osc divide "
                + "medians; tps during is the mean over the tool's run and its %% the median of during/before; "
                + "seconds at 0 and errors count the load's one-second reports that overlap the run");
        figures.forEach((tool, f) -> f.failures.forEach(failure -> print("%s failed: %s", tool, failure)));
    }

    private ForegroundLoad startLoad() throws IOException {
        if (SysbenchLoad.installed().isPresent()) {
            return SysbenchLoad.start(db, settings.rows(), settings.writers());
        }
        return JavaWritersLoad.start(db, settings.rows(), settings.writers());
    }

    private static String displayName(String tool) {
        return tool.equals("ptosc") ? SideBySideTable.PT_OSC : tool;
    }

    private static String extras(ToolRun run) {
        StringBuilder text = new StringBuilder();
        run.lockMs().ifPresent(ms -> text.append(String.format(Locale.ROOT, "; cut-over lock %.1f ms", ms)));
        run.heapMb().ifPresent(mb -> text.append(String.format(Locale.ROOT, "; peak heap %.0f MB", mb)));
        return text.toString();
    }

    private ToolRun runTool(String tool, String label) throws Exception {
        dropLeftovers();
        return switch (tool) {
            case "native" -> runNative();
            case "ptosc" -> runPtOsc(label);
            case "ghost" -> runGhost(label);
            default -> throw new IllegalArgumentException(tool);
        };
    }

    private ToolRun runNative() throws ToolFailedException {
        long start = System.nanoTime();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + TABLE + " " + settings.alter() + ", ALGORITHM=COPY");
        } catch (SQLException e) {
            throw new ToolFailedException("ALTER ... ALGORITHM=COPY: " + e.getMessage());
        }
        return new ToolRun((System.nanoTime() - start) / 1e9, OptionalDouble.empty(), OptionalDouble.empty());
    }

    private ToolRun runPtOsc(String label) throws Exception {
        TestServer server = db.server();
        List<String> command = List.of(PT_OSC.toString(), "--alter", settings.alter(),
                "D=" + db.name() + ",t=" + TABLE + ",h=" + server.host() + ",P=" + server.port() + ",u=" + server.user()
                        + ",p=" + server.password(),
                "--execute", "--recursion-method=none", "--no-check-alter", "--no-version-check");
        Path log = logDir.resolve("run" + label + "-pt-osc.log");
        double seconds = runProcess(new ProcessBuilder(command), log);
        return new ToolRun(seconds, OptionalDouble.empty(), OptionalDouble.empty());
    }

    private ToolRun runGhost(String label) throws Exception {
        TestServer server = db.server();
        List<String> command = new ArrayList<>(List.of(settings.ghostCommand().toString(),
                "--host=" + server.host(), "--port=" + server.port(), "--user=" + server.user(),
                "--password=" + server.password(), "--database=" + db.name(), "--table=" + TABLE,
                "--alter=" + settings.alter(), "--allow-on-master", "--execute", "--initially-drop-old-table",
                "--initially-drop-ghost-table", "--ok-to-drop-table"));
        command.addAll(settings.ghostArgs());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!settings.ghostHeap().isEmpty()) {
            String inherited = System.getenv().getOrDefault("JAVA_OPTS", "");
            builder.environment().put("JAVA_OPTS", (inherited + " -Xmx" + settings.ghostHeap()).strip());
        }
        Path log = logDir.resolve("run" + label + "-ghost.log");
        double seconds = runProcess(builder, log);
        Matcher matcher = GHOST_RESOURCES.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!matcher.find()) {
            throw new ToolFailedException("ghost did not print its \"# ghost: cut-over lock ...\" line; see " + log);
        }
        return new ToolRun(seconds, OptionalDouble.of(Double.parseDouble(matcher.group(1))),
                OptionalDouble.of(Double.parseDouble(matcher.group(2))));
    }

    /** Runs a tool to its end with its output in {@code log}; its wall time in seconds. */
    private static double runProcess(ProcessBuilder builder, Path log) throws Exception {
        builder.redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new ToolFailedException("exit code " + exit + ": " + lastLines(log, 3) + " (log: " + log + ")");
            }
            return seconds;
        } finally {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String lastLines(Path log, int count) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** What a stopped pt-osc or ghost may leave: their tables and pt-osc's triggers. */
    private void dropLeftovers() {
        for (List<String> trigger : db.query("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                + "WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '" + TABLE + "'")) {
            db.execute("DROP TRIGGER IF EXISTS `" + trigger.get(0) + "`");
        }
        for (List<String> table : db.query("SELECT TABLE_NAME FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_" + TABLE + "\\_%'")) {
            db.execute("DROP TABLE IF EXISTS `" + table.get(0) + "`");
        }
    }

    /**
     * After each tool: leftovers dropped, and the table put back to its first definition when the ALTER changed it,
     * with {@code -Dbench.undo} or else by building it again (slow on big tables, but always right).
     */
    private void resetTable() {
        dropLeftovers();
        if (definition().equals(originalDefinition)) {
            return;
        }
        if (!settings.undo().isEmpty()) {
            db.execute("ALTER TABLE " + TABLE + " " + settings.undo());
            if (definition().equals(originalDefinition)) {
                return;
            }
            print("-Dbench.undo=\"%s\" did not restore the table's definition; building it again", settings.undo());
        }
        long start = System.nanoTime();
        db.execute("DROP TABLE " + TABLE);
        MigrationBenchmark.createSysbenchTable(db, settings.rows());
        print("  (the ALTER changed the table: built again in %.1f s; -Dbench.undo=\"...\" is faster)",
                (System.nanoTime() - start) / 1e9);
    }

    /** SHOW CREATE TABLE without the AUTO_INCREMENT counter, which the load moves. */
    private String definition() {
        return db.query("SHOW CREATE TABLE " + TABLE).get(0).get(1).replaceAll(" AUTO_INCREMENT=\\d+", "");
    }

    /** A tool that did not finish; the run goes on with the next tool. */
    private static final class ToolFailedException extends Exception {
        ToolFailedException(String message) {
            super(message);
        }
    }
}
