package dev.ghost.examples.cli;

import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** gh-ost's hooks run by the command line against a real server: their order, their variables, a failing one. */
@ExtendWith(RealServer.class)
class HooksIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(TestDatabase db, Path dir, String... extra) {
        GhostCli cli = new GhostCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty, name -> null,
                Clock.systemUTC());
        List<String> args = new java.util.ArrayList<>(List.of("--host=" + db.server().host(),
                "--port=" + db.server().port(), "--user=" + db.server().user(),
                "--password=" + db.server().password(), "--database=" + db.name(), "--table=orders",
                "--alter=ADD COLUMN extra INT", "--allow-on-master", "--execute", "--chunk-size=100",
                "--serve-socket-file=" + dir.resolve("ghost.sock"), "--hooks-path=" + dir.resolve("hooks"),
                "--hooks-hint=nightly"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private static void hook(Path dir, String name, String body) throws IOException {
        Path hooks = Files.createDirectories(dir.resolve("hooks"));
        Path script = hooks.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void recording(Path dir, String hookName) throws IOException {
        hook(dir, hookName + "-record", "echo \"" + hookName
                + " $GH_OST_DATABASE_NAME.$GH_OST_TABLE_NAME ghost=$GH_OST_GHOST_TABLE_NAME hint=$GH_OST_HOOKS_HINT"
                + " copied=${GH_OST_COPIED_ROWS:-none}\" >> " + dir.resolve("hooks.log"));
    }

    @Test
    void runsEachStepsHooksInGhOstsOrderWithItsVariables(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 500);
        for (String name : List.of(Hooks.ON_STARTUP, Hooks.ON_VALIDATED, Hooks.ON_ROWCOUNT_COMPLETE,
                Hooks.ON_BEFORE_ROW_COPY, Hooks.ON_ROW_COPY_COMPLETE, Hooks.ON_BEFORE_CUT_OVER, Hooks.ON_SUCCESS,
                Hooks.ON_FAILURE)) {
            recording(dir, name);
        }
        hook(dir, "not-a-hook", "exit 1");

        assertThat(run(db, dir)).as(err.toString(StandardCharsets.UTF_8)).isZero();

        String table = db.name() + ".orders ghost=_orders_gho hint=nightly";
        assertThat(Files.readAllLines(dir.resolve("hooks.log"))).containsExactly(
                "gh-ost-on-startup " + table + " copied=none",
                "gh-ost-on-validated " + table + " copied=0",
                "gh-ost-on-rowcount-complete " + table + " copied=0",
                "gh-ost-on-before-row-copy " + table + " copied=0",
                "gh-ost-on-row-copy-complete " + table + " copied=500",
                "gh-ost-on-before-cut-over " + table + " copied=500",
                "gh-ost-on-success " + table + " copied=500");
    }

    @Test
    void aFailingHookStopsTheMigrationAndTheFailureHookRuns(TestDatabase db, @TempDir Path dir) throws Exception {
        MixedTable.create(db, "orders", 500);
        hook(dir, Hooks.ON_BEFORE_ROW_COPY, "echo no copy today; exit 3");
        recording(dir, Hooks.ON_FAILURE);

        assertThat(run(db, dir)).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("hook " + dir.resolve("hooks")
                .resolve(Hooks.ON_BEFORE_ROW_COPY) + " failed with exit status 3: no copy today");
        assertThat(Files.readAllLines(dir.resolve("hooks.log"))).singleElement().asString()
                .startsWith("gh-ost-on-failure " + db.name() + ".orders");
        assertThat(db.tables()).containsExactly("orders");
    }

    @Test
    void aFailingBeforeCutOverHookFailsTheAttemptsUntilRetriesRunOut(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", 200);
        hook(dir, Hooks.ON_BEFORE_CUT_OVER, "exit 1");

        assertThat(run(db, dir, "--default-retries=2")).isEqualTo(1);
        assertThat(db.tables()).containsExactly("orders");
    }

    @Test
    void interactiveCommandHookRunsBeforeEachCommandAndAFailingOneRefusesIt(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", 500);
        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        List<List<String>> before = db.contentOf("orders", columns, "id");
        // gh-ost's use case: record every command, and forbid one
        hook(dir, Hooks.ON_INTERACTIVE_COMMAND, "echo \"$GH_OST_COMMAND $GH_OST_DATABASE_NAME.$GH_OST_TABLE_NAME"
                + " copied=${GH_OST_COPIED_ROWS:-none}\" >> " + dir.resolve("commands.log") + "\n"
                + "if [ \"$GH_OST_COMMAND\" = panic ]; then echo no panics during business hours; exit 1; fi");
        Path socket = dir.resolve("ghost.sock");
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(db, dir,
                "--postpone-cut-over-flag-file=" + postpone));
        awaitPostponed(socket, exit);
        assertThat(send(socket, "chunk-size=200")).contains("# chunk-size: 200;");
        assertThat(send(socket, "panic")).isEqualTo("panic: refused: hook " + dir.resolve("hooks")
                .resolve(Hooks.ON_INTERACTIVE_COMMAND) + " failed with exit status 1: no panics during business hours;"
                + " nothing changed\n");
        assertThat(send(socket, "unpostpone")).isEqualTo("Unpostponed\n");

        assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the command \"panic\" is refused");
        // the "sup" lines are awaitPostponed's, while the copy ran
        List<String> commands = Files.readAllLines(dir.resolve("commands.log"));
        assertThat(commands).first().asString().startsWith("sup " + db.name() + ".orders copied=");
        String table = db.name() + ".orders copied=500";
        assertThat(commands).filteredOn(line -> !line.startsWith("sup ")).containsExactly(
                "chunk-size " + table, "panic " + table, "unpostpone " + table);
        assertThat(db.contentOf("orders", columns, "id")).isEqualTo(before);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
    }

    /** Waits until the migration the command line runs holds its cut-over: asks with {@code sup}. */
    private static void awaitPostponed(Path socket, CompletableFuture<Integer> exit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket) || !send(socket, "sup").contains("State: postponing cut-over")) {
            if (exit.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("the migration did not postpone its cut-over; exit: " + exit.getNow(null));
            }
            Thread.sleep(50);
        }
    }

    /** One command, one answer, as {@code echo <command> | socat - UNIX-CONNECT:<socket>} prints it. */
    private static String send(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            return new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }
}
