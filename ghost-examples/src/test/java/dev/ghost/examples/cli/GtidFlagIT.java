package dev.ghost.examples.cli;

import dev.ghost.testing.MixedTable;
import dev.ghost.testing.RealServer;
import dev.ghost.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --gtid} on the command line: accepted without an "ignored" note, and the migration is exact. */
@ExtendWith(RealServer.class)
class GtidFlagIT {

    @Test
    void migratesWithGtidPositioning(TestDatabase db, @TempDir Path dir) {
        MixedTable.create(db, "orders", 1_000);
        List<String> columns = List.of("id", "name", "note", "amount", "created", "payload", "flags");
        List<List<String>> before = db.contentOf("orders", columns, "id");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GhostCli cli = new GhostCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty, name -> null, Clock.systemUTC());

        int exit = cli.run("--host=" + db.server().host(), "--port=" + db.server().port(),
                "--user=" + db.server().user(), "--password=" + db.server().password(), "--database=" + db.name(),
                "--table=orders", "--alter=ADD COLUMN extra INT", "--allow-on-master", "--execute", "--gtid",
                "--chunk-size=100", "--serve-socket-file=" + dir.resolve("ghost.sock"));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("--gtid");
        assertThat(db.contentOf("orders", columns, "id")).isEqualTo(before);
        assertThat(db.tables()).containsExactlyInAnyOrder("orders", "_orders_del");
    }
}
