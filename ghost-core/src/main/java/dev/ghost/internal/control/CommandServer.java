package dev.ghost.internal.control;

import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.MigrationListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * gh-ost's interactive protocol on a unix socket or a loopback TCP port: a client connects, sends one line (e.g.
 * {@code status}, {@code chunk-size=500}, {@code max-load=?}), reads the plain-text answer, and the connection closes.
 * Before a command is applied the migration's listeners may refuse it ({@link MigrationListener#approveCommand}), as
 * gh-ost's {@code gh-ost-on-interactive-command} hook may.
 */
public final class CommandServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandServer.class);

    private final Path socketFile;
    private final ControlledMigration migration;
    private final Supplier<List<String>> statusHeader;
    private final ServerSocketChannel channel;
    private final Thread thread;
    private volatile String namedCutoverTable;
    private volatile String namedPanicTable;

    private static final String HELP = String.join("\n",
            "available commands:",
            "status, info                     # print a detailed status",
            "sup                              # print a short status line",
            "coordinates                      # the binlog position the streamer has read up to",
            "chunk-size=<n>                   # rows per copy chunk",
            "dml-batch-size=<n>               # binlog rows per replay statement",
            "max-lag-millis=<n>               # throttle while the heartbeat lag exceeds this (0: never)",
            "max-load=<name=n,...>            # throttle while a status variable reaches its limit",
            "critical-load=<name=n,...>       # stop the migration when a status variable reaches its limit",
            "nice-ratio=<ratio>               # rest ratio x the chunk's time after each chunk",
            "throttle-query=<query>           # throttle while the query returns a value above zero",
            "throttle-http=<url>              # throttle while a HEAD request to the URL does not answer 200"
                    + " (empty: no check)",
            "throttle-control-replicas=<...>  # not supported: ghost does not watch replicas",
            "postpone-cut-over-flag-file=<f>  # hold the cut-over while this file exists",
            "throttle, pause, suspend         # throttle the row copy",
            "no-throttle, unthrottle, resume, continue  # end a commanded throttle",
            "unpostpone, no-postpone, cut-over  # let a postponed cut-over happen",
            "panic                            # stop the migration now; the original table is untouched"
                    + " (panic=<table> with --force-named-panic)",
            "help                             # this message",
            "<name>=?                         # print the current value of a setting above");

    private CommandServer(Path socketFile, ControlledMigration migration, Supplier<List<String>> statusHeader,
                          ServerSocketChannel channel) {
        this.socketFile = socketFile;
        this.migration = migration;
        this.statusHeader = statusHeader;
        this.channel = channel;
        this.thread = new Thread(this::serve, "ghost-command-server");
        this.thread.setDaemon(true);
    }

    /**
     * Listens on {@code socketFile}. A stale file is removed first only when {@code dropExisting}; otherwise an
     * existing file is an error, as in gh-ost (another migration may be serving there).
     */
    public static CommandServer start(Path socketFile, boolean dropExisting, ControlledMigration migration,
                                      Supplier<List<String>> statusHeader) throws IOException {
        if (dropExisting) {
            Files.deleteIfExists(socketFile);
        } else if (Files.exists(socketFile)) {
            throw new IOException("socket file " + socketFile + " already exists; remove it or use "
                    + "--initially-drop-socket-file");
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socketFile));
        CommandServer server = new CommandServer(socketFile, migration, statusHeader, channel);
        server.thread.start();
        log.info("Serving on unix socket: {}", socketFile);
        return server;
    }

    /**
     * gh-ost's {@code --serve-tcp-port}: the same commands on a TCP port of 127.0.0.1 only, since they are not
     * authenticated.
     */
    public static CommandServer startTcp(int port, ControlledMigration migration, Supplier<List<String>> statusHeader)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        CommandServer server = new CommandServer(null, migration, statusHeader, channel);
        server.thread.start();
        log.info("Serving on TCP port: {}", port);
        return server;
    }

    /**
     * gh-ost's {@code --force-named-panic}: from now on, {@code panic} takes {@code panic=<table>} with the migrated
     * table's name.
     */
    public CommandServer requireNamedPanic(String table) {
        this.namedPanicTable = table;
        return this;
    }

    /**
     * gh-ost's {@code --force-named-cut-over}: from now on, releasing a postponed cut-over takes
     * {@code unpostpone=<table>} with the migrated table's name, so that a command sent to the wrong socket does
     * nothing.
     */
    public CommandServer requireNamedCutover(String table) {
        this.namedCutoverTable = table;
        return this;
    }

    private void serve() {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                        StandardCharsets.UTF_8));
                String line = reader.readLine();
                String answer = answer(line == null ? "" : line.trim());
                OutputStream out = Channels.newOutputStream(client);
                out.write(answer.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                if (channel.isOpen()) {
                    log.debug("command connection failed: {}", e.getMessage());
                }
            }
        }
    }

    /** The answer to one command line, newline-terminated. */
    String answer(String line) {
        String command = line;
        String argument = null;
        int equals = line.indexOf('=');
        if (equals >= 0) {
            command = line.substring(0, equals).trim();
            argument = GoQuotes.unquoteIfLiteral(line.substring(equals + 1).trim()); // as gh-ost does
        }
        boolean question = "?".equals(argument);
        if (!line.isBlank()) {
            Optional<String> refused = migration.commandRefusal(new InteractiveCommand(migration.status().table(), command,
                    Optional.ofNullable(argument), line, Instant.now()));
            if (refused.isPresent()) {
                return refused.get() + "\n";
            }
        }
        try {
            return switch (command.toLowerCase(Locale.ROOT)) {
                case "help" -> HELP + "\n";
                case "status", "info" -> fullStatus();
                case "sup" -> migration.status().statusLine() + "\n";
                case "coordinates" -> migration.status().streamerPosition() + "\n";
                case "chunk-size" -> {
                    if (question) {
                        yield migration.status().chunkSize() + "\n";
                    }
                    migration.chunkSize(integer(command, argument));
                    yield fullStatus();
                }
                case "dml-batch-size" -> {
                    if (question) {
                        yield migration.dmlBatchSize() + "\n";
                    }
                    migration.dmlBatchSize(integer(command, argument));
                    yield fullStatus();
                }
                case "max-lag-millis" -> {
                    if (question) {
                        yield migration.maxLag().toMillis() + "\n";
                    }
                    migration.maxLag(Duration.ofMillis(integer(command, argument)));
                    yield fullStatus();
                }
                case "max-load" -> {
                    if (question) {
                        yield migration.maxLoad() + "\n";
                    }
                    migration.maxLoad(required(command, argument, true));
                    yield fullStatus();
                }
                case "critical-load" -> {
                    if (question) {
                        yield migration.criticalLoad() + "\n";
                    }
                    migration.criticalLoad(required(command, argument, true));
                    yield fullStatus();
                }
                case "nice-ratio" -> {
                    if (question) {
                        yield String.format(Locale.ROOT, "%f\n", migration.niceRatio());
                    }
                    try {
                        migration.niceRatio(Double.parseDouble(required(command, argument, false)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(command + ": not a number: " + argument);
                    }
                    yield fullStatus();
                }
                case "throttle-query" -> {
                    if (question) {
                        yield migration.throttleQuery() + "\n";
                    }
                    migration.throttleQuery(required(command, argument, true));
                    yield fullStatus();
                }
                case "throttle-http" -> {
                    if (question) {
                        yield migration.throttleHttp().map(URI::toString).orElse("") + "\n";
                    }
                    migration.throttleHttp(url(command, required(command, argument, true)));
                    yield fullStatus();
                }
                case "throttle-control-replicas" -> question ? "\n"
                        : "throttle-control-replicas: ghost does not watch replicas; nothing changed\n";
                case "postpone-cut-over-flag-file" -> {
                    if (question) {
                        yield migration.postponeCutoverFlagFile().map(Path::toString).orElse("") + "\n";
                    }
                    String file = required(command, argument, true);
                    migration.postponeCutoverFlagFile(file.isEmpty() ? null : Path.of(file));
                    yield fullStatus();
                }
                case "throttle", "pause", "suspend" -> {
                    migration.throttle();
                    yield "throttled\n";
                }
                case "no-throttle", "unthrottle", "resume", "continue" -> {
                    migration.unthrottle();
                    yield "unthrottled\n";
                }
                case "unpostpone", "no-postpone", "cut-over" -> {
                    String required = namedCutoverTable;
                    if (required != null && !required.equals(argument)) {
                        yield "unpostpone: this migration runs with --force-named-cut-over; send " + command + "="
                                + required + " to cut over\n";
                    }
                    migration.unpostponeCutover();
                    yield "Unpostponed\n";
                }
                case "panic" -> {
                    String required = namedPanicTable;
                    if (required != null && !required.equals(argument)) {
                        yield "panic: this migration runs with --force-named-panic; send panic=" + required
                                + " to stop it\n";
                    }
                    migration.panic();
                    yield "panic: stopping the migration; the original table is untouched\n";
                }
                default -> "Unknown command: " + line + "\n";
            };
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
    }

    private String fullStatus() {
        return String.join("\n", statusHeader.get()) + "\n" + migration.status().statusLine() + "\n";
    }

    private static String required(String command, String argument, boolean emptyAllowed) {
        if (argument == null || (!emptyAllowed && argument.isEmpty())) {
            throw new IllegalArgumentException(command + ": needs a value: " + command + "=<value> (" + command
                    + "=? reads it)");
        }
        return argument;
    }

    /** An empty text means no URL. */
    private static URI url(String command, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(command + ": not an http(s) URL: " + text);
        }
    }

    private static int integer(String command, String argument) {
        String text = required(command, argument, false);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": not a number: " + text);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (socketFile == null) {
            return;
        }
        try {
            Files.deleteIfExists(socketFile);
        } catch (IOException e) {
            log.debug("could not remove {}: {}", socketFile, e.getMessage());
        }
    }
}
