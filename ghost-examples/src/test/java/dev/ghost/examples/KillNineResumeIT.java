package dev.ghost.examples;

import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.WriteLoad;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix's {@code kill -9}: the command line runs in a child JVM, under four writers, and is killed without
 * warning during the copy, during the catch-up (held there by a throttle flag file), and while the cut-over is
 * postponed; each time the next run, with {@code --resume}, goes on from the last checkpoint, and the last one
 * completes with exactly the original's rows.
 */
@ExtendWith(RealServer.class)
@Tag("slow")
class KillNineResumeIT {

    private static final int ROWS = 20_000;
    private static final List<String> COLUMNS = List.of("id", "name", "note", "amount", "created", "payload", "flags");
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Pattern COPIED = Pattern.compile("Copy: (\\d+)/");

    @Test
    void killedDuringCopyCatchUpAndPostponementThenResumedToIdenticalRows(TestDatabase db, @TempDir Path dir)
            throws Exception {
        MixedTable.create(db, "orders", ROWS);
        Path postpone = Files.createFile(dir.resolve("postpone.flag"));
        Path throttle = dir.resolve("throttle.flag");
        Path log = dir.resolve("ghost.log");
        Path socket = dir.resolve("ghost.sock");
        try (WriteLoad load = WriteLoad.start(db, "orders", ROWS, 4)) {
            // During the copy: held by the throttle flag once part of it is done, until a checkpoint records that.
            Process first = start(db, dir, log, socket, postpone, throttle, "--nice-ratio=1");
            awaitCopied(socket, first, ROWS / 10);
            Files.createFile(throttle);
            awaitStatus(socket, first, "State: throttled");
            int beforeFirst = count(Files.readString(log), "checkpoint success at coords=");
            awaitLog(log, first, text -> count(text, "checkpoint success at coords=") > beforeFirst);
            assertThat(status(socket)).contains("State: throttled").doesNotContain("ETA: due");
            kill(first);
            Files.delete(throttle);

            // During the catch-up: the throttle flag holds it there once the copy is done.
            Process second = start(db, dir, log, socket, postpone, throttle, "--resume");
            awaitLog(log, second, text -> text.contains("Row copy complete"));
            Files.createFile(throttle);
            int before = count(Files.readString(log), "checkpoint success at coords=");
            awaitLog(log, second, text -> count(text, "checkpoint success at coords=") > before);
            // After the copy, before the cut-over (held in the catch-up; a fast machine may reach the postponement).
            assertThat(status(socket)).contains("ETA: due");
            kill(second);
            Files.delete(throttle);

            // While the cut-over is postponed.
            Process third = start(db, dir, log, socket, postpone, throttle, "--resume");
            awaitStatus(socket, third, "postponing cut-over");
            int beforeThird = count(Files.readString(log), "checkpoint success at coords=");
            awaitLog(log, third, text -> count(text, "checkpoint success at coords=") > beforeThird);
            kill(third);

            // The last run completes once the writers stop.
            Process last = start(db, dir, log, socket, postpone, throttle, "--resume");
            awaitStatus(socket, last, "postponing cut-over");
            assertThat(load.committed()).isGreaterThan(100);
            load.stop();
            Files.delete(postpone);
            assertThat(last.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as(Files.readString(log)).isZero();
        }
        String output = Files.readString(log);
        assertThat(count(output, "Resuming from checkpoint")).isEqualTo(3);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del", "_orders_ghk"); // kept for a revert
        assertThat(db.contentOf("orders", COLUMNS, "id")).isEqualTo(db.contentOf("_orders_del", COLUMNS, "id"));
    }

    /** The command line in a JVM of its own, appending its output to {@code log}. */
    private static Process start(TestDatabase db, Path dir, Path log, Path socket, Path postpone, Path throttle,
                                 String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.ghost.examples.cli.GhostCli",
                "--host=" + db.server().host(), "--port=" + db.server().port(), "--user=" + db.server().user(),
                "--password=" + db.server().password(), "--database=" + db.name(), "--table=orders",
                "--alter=ADD COLUMN extra VARCHAR(16) NOT NULL DEFAULT 'x', ADD INDEX idx_created (created)",
                "--allow-on-master", "--execute", "--checkpoint", "--checkpoint-seconds=10", "--chunk-size=100",
                "--serve-socket-file=" + socket, "--initially-drop-socket-file",
                "--postpone-cut-over-flag-file=" + postpone, "--throttle-flag-file=" + throttle));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** kill -9: no shutdown hook, no clean-up, connections cut by the kernel. */
    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitLog(Path log, Process process, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.test(Files.readString(log, StandardCharsets.UTF_8))) {
            if (!process.isAlive()) {
                throw new AssertionError("ghost exited (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen in the log within " + PATIENCE + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private static void awaitStatus(Path socket, Process process, String text) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!status(socket).contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no status with \"" + text + "\"; last: " + status(socket));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the status line says at least {@code rows} rows are copied. */
    private static void awaitCopied(Path socket, Process process, long rows) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Matcher copied = COPIED.matcher(status(socket));
            if (copied.find() && Long.parseLong(copied.group(1)) >= rows) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + rows + " rows copied; last: " + status(socket));
            }
            Thread.sleep(20);
        }
    }

    private static String status(Path socket) {
        try {
            return ControlSocketIT.send(socket, "status");
        } catch (IOException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

}
