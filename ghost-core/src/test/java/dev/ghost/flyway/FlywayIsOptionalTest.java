package dev.ghost.flyway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway is an optional dependency: an application that does not use {@code dev.ghost.flyway} does not have it, so no
 * compiled ghost class outside that package may refer to a Flyway type (the JVM would fail to load that class).
 */
class FlywayIsOptionalTest {

    @Test
    void onlyTheFlywayPackageRefersToFlyway() throws IOException, URISyntaxException {
        Path classes = Path.of(OnlineAlterMigration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> referring;
        try (Stream<Path> files = Files.walk(classes)) {
            referring = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(FlywayIsOptionalTest::refersToFlyway)
                    .map(file -> classes.relativize(file).toString())
                    .toList();
        }
        assertThat(referring).isNotEmpty()
                .allMatch(name -> name.startsWith("dev/ghost/flyway/"), "is in dev.ghost.flyway");
    }

    /** A class's constant pool names every type it refers to, as {@code org/flywaydb/...}. */
    private static boolean refersToFlyway(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("org/flywaydb/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
