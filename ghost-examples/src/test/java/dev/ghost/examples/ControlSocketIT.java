package dev.ghost.examples;

import com.sun.net.httpserver.HttpServer;
import dev.ghost.MigrationCancelledException;
import dev.ghost.MigrationState;
import dev.ghost.OnlineSchemaChange;
import dev.ghost.RunningMigration;
import dev.ghost.event.InteractiveCommand;
import dev.ghost.event.MigrationListener;
import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** gh-ost's interactive commands, sent as plain text to the unix socket the way {@code socat} would. */
@ExtendWith(RealServer.class)
class ControlSocketIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");

    /** One command, one answer: what {@code echo <command> | socat - UNIX-CONNECT:<socket>} prints. */
    static String send(Path socket, String command) throws IOException {
        try (SocketChannel channel = connect(socket)) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            StringBuilder answer = new StringBuilder();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.UTF_8.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        }
    }

    /** The same over TCP, as {@code echo <command> | nc 127.0.0.1 <port>} would. */
    /**
     * The socket file exists from the server's bind, a moment before it listens: a connection in between is refused,
     * so that is retried for a little while.
     */
    private static SocketChannel connect(Path socket) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (java.net.ConnectException e) {
                channel.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static String sendTcp(int port, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void awaitSocket(Path socket) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no socket at " + socket);
            }
            Thread.sleep(10);
        }
    }

    private static OnlineSchemaChange.Builder migrate(TestDatabase db, Path socket) {
        return OnlineSchemaChange.builder()
                .connection(db.server().host(), db.server().port(), db.server().user(), db.server().password())
                .database(db.name()).table("orders").alter("ADD COLUMN extra INT").chunkSize(100)
                .serveSocketFile(socket);
    }

    @Test
    void steersAMigrationThroughGhOstsCommands(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 3_000);
        List<List<String>> before = db.contentOf("orders", "id");
        Path socket = dir.resolve("ghost.sock");
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        RunningMigration migration = migrate(db, socket).postponeCutoverFlagFile(postpone).build().start();
        awaitSocket(socket);

        assertThat(send(socket, "throttle")).isEqualTo("throttled\n");
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
        assertThat(send(socket, "sup")).contains("State: throttled, commanded by user").endsWith("\n");
        assertThat(send(socket, "status")).startsWith("# Migrating `" + db.name() + "`.`orders`")
                .contains("# chunk-size: 100; max-lag-millis: 0ms; dml-batch-size: 100; max-load: ; "
                        + "critical-load: ; nice-ratio: 0.000000")
                .contains("# postpone-cut-over-flag-file: " + postpone + " [set]")
                .contains("# Serving on unix socket: " + socket)
                .contains("State: throttled, commanded by user");
        assertThat(send(socket, "help")).contains("chunk-size=<n>").contains("unpostpone");

        // settings, each read back with name=?
        assertThat(send(socket, "chunk-size=?")).isEqualTo("100\n");
        assertThat(send(socket, "chunk-size=250")).contains("# chunk-size: 250;");
        assertThat(migration.status().chunkSize()).isEqualTo(250);
        assertThat(send(socket, "chunk-size=?")).isEqualTo("250\n");
        assertThat(send(socket, "chunk-size=lots")).isEqualTo("chunk-size: not a number: lots\n");
        assertThat(send(socket, "chunk-size=5")).isEqualTo("chunk size 5 is not in 10..100000\n");
        assertThat(send(socket, "dml-batch-size=20")).contains("dml-batch-size: 20;");
        assertThat(send(socket, "dml-batch-size=?")).isEqualTo("20\n");
        assertThat(send(socket, "max-lag-millis=60000")).contains("max-lag-millis: 60000ms;");
        assertThat(send(socket, "max-lag-millis=?")).isEqualTo("60000\n");
        assertThat(send(socket, "max-load=Threads_running=100000")).contains("max-load: Threads_running=100000;");
        assertThat(send(socket, "max-load=?")).isEqualTo("Threads_running=100000\n");
        // gh-ost unquotes a Go string literal, so scripts may quote the value
        assertThat(send(socket, "max-load=\"Threads_running=90000\"")).contains("max-load: Threads_running=90000;");
        assertThat(send(socket, "max-load=`Threads_running=100000`")).contains("max-load: Threads_running=100000;");
        assertThat(send(socket, "max-load=Threads_running")).startsWith("cannot read \"Threads_running\"");
        assertThat(send(socket, "critical-load=Threads_running=100000"))
                .contains("critical-load: Threads_running=100000;");
        assertThat(send(socket, "critical-load=?")).isEqualTo("Threads_running=100000\n");
        assertThat(send(socket, "nice-ratio=0.25")).contains("nice-ratio: 0.250000");
        assertThat(send(socket, "nice-ratio=?")).isEqualTo("0.250000\n");
        assertThat(send(socket, "nice-ratio=0")).contains("nice-ratio: 0.000000");
        assertThat(send(socket, "throttle-query=SELECT 0")).contains("# throttle-query: SELECT 0");
        assertThat(send(socket, "throttle-query=?")).isEqualTo("SELECT 0\n");
        assertThat(send(socket, "throttle-control-replicas=replica1:3306"))
                .isEqualTo("throttle-control-replicas: ghost does not watch replicas; nothing changed\n");
        assertThat(send(socket, "postpone-cut-over-flag-file=?")).isEqualTo(postpone + "\n");
        assertThat(send(socket, "coordinates")).matches("(?s).+:\\d+\n");
        assertThat(send(socket, "bogus")).isEqualTo("Unknown command: bogus\n");
        assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);

        assertThat(send(socket, "no-throttle")).isEqualTo("unthrottled\n");
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);
        assertThat(migration.status().rowsCopied()).isEqualTo(3_000);
        assertThat(send(socket, "sup")).contains("State: postponing cut-over");

        assertThat(send(socket, "unpostpone")).isEqualTo("Unpostponed\n");
        migration.await();
        assertThat(db.contentOf("orders", List.of("id", "name", "note", "amount", "created", "payload", "flags"),
                "id")).isEqualTo(before);
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void panicStopsTheMigrationAndLeavesTheOriginal(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 3_000);
        List<List<String>> before = db.contentOf("orders", "id");
        Path socket = dir.resolve("ghost.sock");
        RunningMigration migration = migrate(db, socket).build().start();
        awaitSocket(socket);
        assertThat(send(socket, "pause")).isEqualTo("throttled\n");
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);

        assertThat(send(socket, "panic")).isEqualTo("panic: stopping the migration; the original table is untouched\n");
        assertThatThrownBy(migration::await).isInstanceOfSatisfying(MigrationCancelledException.class,
                        e -> assertThat(e.remainingTables()).containsExactlyInAnyOrder(db.name() + "._orders_gho",
                                db.name() + "._orders_ghc"))
                .hasMessageContaining("stopped by panic");
        // As in gh-ost, a panic leaves ghost's tables for inspection.
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc");
        assertThat(db.contentOf("orders", "id")).isEqualTo(before);
    }

    @Test
    void servesTcpOnLoopbackAndANamedPanicNeedsTheTableName(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 1_000);
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path socket = dir.resolve("ghost.sock");
        RunningMigration migration = migrate(db, socket).serveTcpPort(port).forceNamedPanic(true).build().start();
        awaitSocket(socket);
        assertThat(sendTcp(port, "throttle")).isEqualTo("throttled\n");
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
        assertThat(sendTcp(port, "status")).contains("# Serving on TCP port: " + port)
                .contains("State: throttled, commanded by user");

        assertThat(sendTcp(port, "panic")).isEqualTo("panic: this migration runs with --force-named-panic; "
                + "send panic=orders to stop it\n");
        assertThat(send(socket, "panic=other")).startsWith("panic: this migration runs with --force-named-panic");
        assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);
        assertThat(sendTcp(port, "panic=orders")).startsWith("panic: stopping the migration");
        assertThatThrownBy(migration::await).isInstanceOf(MigrationCancelledException.class);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_gho", "_orders_ghc");
    }

    @Test
    void namedCutoverNeedsTheTableName(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 500);
        Path socket = dir.resolve("ghost.sock");
        RunningMigration migration = migrate(db, socket).forceNamedCutover(true).build().start();
        migration.postponeCutover();
        awaitSocket(socket);
        OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);

        assertThat(send(socket, "cut-over")).isEqualTo("unpostpone: this migration runs with --force-named-cut-over; "
                + "send cut-over=orders to cut over\n");
        assertThat(migration.status().state()).isEqualTo(MigrationState.POSTPONED);
        assertThat(send(socket, "cut-over=orders")).isEqualTo("Unpostponed\n");
        migration.await();
        assertThat(db.tables()).contains("orders", "_orders_del");
    }

    @Test
    void throttleHttpIsSetReadAndRemovedThroughTheSocketWhileWritesGoOn(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", 3_000);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/throttle", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/throttle";
        Path socket = dir.resolve("ghost.sock");
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        WriteLoad load = WriteLoad.start(db, "orders", 3_000, 2);
        RunningMigration migration;
        try {
            migration = migrate(db, socket).postponeCutoverFlagFile(postpone).build().start();
            migration.throttle(); // holds the copy from its first chunk, whenever the URL arrives
            awaitSocket(socket);
            assertThat(send(socket, "help")).contains("throttle-http=<url>");
            assertThat(send(socket, "throttle-http=?")).isEqualTo("\n");
            assertThat(send(socket, "status")).doesNotContain("# throttle-http");

            assertThat(send(socket, "throttle-http=" + url)).contains("# throttle-http: " + url + "\n");
            assertThat(send(socket, "throttle-http=?")).isEqualTo(url + "\n");
            assertThat(send(socket, "no-throttle")).isEqualTo("unthrottled\n");
            assertThat(ThrottlingIT.awaitThrottleReason(migration, r -> !r.contains("commanded")))
                    .isEqualTo("throttle-http " + url + " answered 503");
            OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);
            assertThat(migration.status().rowsCopied()).isLessThan(3_000);
            assertThat(send(socket, "sup")).contains("State: throttled, throttle-http " + url + " answered 503");

            assertThat(send(socket, "throttle-http=ftp://x")).isEqualTo("throttle-http: not an http(s) URL: ftp://x\n");
            assertThat(send(socket, "throttle-http=http://bad host/")).startsWith("throttle-http: not an http(s) URL");
            assertThat(send(socket, "throttle-http=?")).isEqualTo(url + "\n");

            // an empty value turns the check off, as in gh-ost
            assertThat(send(socket, "throttle-http=")).doesNotContain("# throttle-http");
            assertThat(send(socket, "throttle-http=?")).isEqualTo("\n");
            OnlineMigrationIT.awaitState(migration, MigrationState.POSTPONED, PATIENCE);
            assertThat(load.committed()).as("writes during the copy").isPositive();
        } finally {
            load.stop();
            http.stop(0);
        }
        Files.delete(postpone);
        migration.await(PATIENCE);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
    }

    @Test
    void listenersSeeEachCommandBeforeItIsAppliedAndMayRefuseIt(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 1_000);
        List<List<String>> before = db.contentOf("orders", COLUMNS, "id");
        List<InteractiveCommand> seen = new CopyOnWriteArrayList<>();
        MigrationListener gatekeeper = new MigrationListener() {
            @Override
            public boolean approveCommand(InteractiveCommand command) {
                seen.add(command);
                if (command.command().equals("nice-ratio") && !command.argument().equals(Optional.of("?"))) {
                    throw new IllegalStateException("no nice-ratio changes today");
                }
                return !command.line().equals("chunk-size=500");
            }
        };
        Path socket = dir.resolve("ghost.sock");
        RunningMigration migration = migrate(db, socket).listener(gatekeeper).build().start();
        migration.throttle();
        awaitSocket(socket);
        OnlineMigrationIT.awaitState(migration, MigrationState.COPYING, PATIENCE);

        assertThat(send(socket, "chunk-size=500")).isEqualTo("chunk-size: refused by a listener; nothing changed\n");
        assertThat(migration.status().chunkSize()).isEqualTo(100);
        assertThat(send(socket, "chunk-size=200")).contains("# chunk-size: 200;");
        assertThat(send(socket, "nice-ratio=5"))
                .isEqualTo("nice-ratio: refused: no nice-ratio changes today; nothing changed\n");
        assertThat(send(socket, "nice-ratio=?")).isEqualTo("0.000000\n");
        assertThat(send(socket, "bogus")).isEqualTo("Unknown command: bogus\n");
        assertThat(send(socket, "  ")).isEqualTo("Unknown command: \n"); // a blank line is no command: not asked
        migration.chunkSize(300); // the handle's own calls are not commands from the socket

        assertThat(seen).extracting(InteractiveCommand::table, InteractiveCommand::command,
                InteractiveCommand::argument, InteractiveCommand::line).containsExactly(
                tuple(db.name() + ".orders", "chunk-size", Optional.of("500"), "chunk-size=500"),
                tuple(db.name() + ".orders", "chunk-size", Optional.of("200"), "chunk-size=200"),
                tuple(db.name() + ".orders", "nice-ratio", Optional.of("5"), "nice-ratio=5"),
                tuple(db.name() + ".orders", "nice-ratio", Optional.of("?"), "nice-ratio=?"),
                tuple(db.name() + ".orders", "bogus", Optional.empty(), "bogus"));
        assertThat(migration.status().state()).isEqualTo(MigrationState.COPYING);

        assertThat(send(socket, "no-throttle")).isEqualTo("unthrottled\n");
        migration.await(PATIENCE);
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(before);
    }
}
