package dev.ghost.examples;

import dev.ghost.internal.check.Preflight;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README lists every pre-flight check by name, so operators can look up any refusal. */
class ReadmeChecksTest {

    @Test
    void readmeListsEveryCheck() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Preflight.Check check : Preflight.CHECKS) {
            assertThat(readme).as("README lists check " + check.name()).contains("`" + check.name() + "`");
        }
        for (String named : new String[] {"single-migration", "connection", "database-exists", "alter-renames-table", "renamed-columns",
                "alter", "ghost-unique-key", "shared-unique-key", "datetime-to-timestamp-key"}) {
            assertThat(readme).contains("`" + named + "`");
        }
    }
}
