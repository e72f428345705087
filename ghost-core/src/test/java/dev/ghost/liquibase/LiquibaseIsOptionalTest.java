package dev.ghost.liquibase;

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
 * Liquibase is an optional dependency: an application that does not use ghost's Liquibase changes does not have it,
 * so no compiled ghost class outside {@code dev.ghost.liquibase} may refer to a Liquibase type (the JVM would fail
 * to load that class).
 */
class LiquibaseIsOptionalTest {

    @Test
    void onlyTheLiquibasePackageRefersToLiquibase() throws IOException, URISyntaxException {
        Path classes = Path.of(OnlineAlterStatement.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> referring;
        try (Stream<Path> files = Files.walk(classes)) {
            referring = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(LiquibaseIsOptionalTest::refersToLiquibase)
                    .map(file -> classes.relativize(file).toString())
                    .toList();
        }
        assertThat(referring).isNotEmpty()
                .allMatch(name -> name.startsWith("dev/ghost/liquibase/"), "is in dev.ghost.liquibase");
    }

    /** A class's constant pool names every type it refers to, as {@code liquibase/...}. */
    private static boolean refersToLiquibase(Path classFile) {
        try {
            String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return text.contains("Lliquibase/") || text.contains("\u0000liquibase/")
                    || text.matches("(?s).*[^a-zA-Z/]liquibase/[a-zA-Z].*");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
