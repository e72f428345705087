package dev.ghost.event;

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
 * Micrometer is an optional dependency: an application that does not use {@link MicrometerListener} does not have it,
 * so no other compiled ghost class may refer to a Micrometer type (the JVM would fail to load that class).
 */
class MicrometerIsOptionalTest {

    @Test
    void onlyMicrometerListenerRefersToMicrometer() throws IOException, URISyntaxException {
        Path classes = Path.of(MicrometerListener.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> referring;
        try (Stream<Path> files = Files.walk(classes)) {
            referring = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(MicrometerIsOptionalTest::refersToMicrometer)
                    .map(file -> classes.relativize(file).toString())
                    .toList();
        }
        assertThat(referring).isNotEmpty()
                .allMatch(name -> name.startsWith("dev/ghost/event/MicrometerListener"), "is MicrometerListener");
    }

    /** A class's constant pool names every type it refers to, as {@code io/micrometer/...}. */
    private static boolean refersToMicrometer(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/micrometer/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
