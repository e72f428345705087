package dev.ghost.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConfFileTest {

    @TempDir
    Path dir;

    private ConfFile read(String text) throws Exception {
        return read(text, Map.of());
    }

    private ConfFile read(String text, Map<String, String> environment) throws Exception {
        return ConfFile.read(Files.writeString(dir.resolve("ghost.cnf"), text), environment::get);
    }

    @Test
    void readsUserAndPasswordFromTheClientSection() throws Exception {
        ConfFile conf = read("""
                # credentials
                user=not-this-one
                [osc]
                chunk_size=500
                user=nor-this-one
                [client]
                user = ghost
                password: s3cret
                """);

        assertThat(conf).isEqualTo(new ConfFile(Optional.of("ghost"), Optional.of("s3cret")));
    }

    @Test
    void keepsQuotedValuesWhole() throws Exception {
        ConfFile conf = read("[client]\nuser=\"gh ost\"\npassword='a#b;c'\n");

        assertThat(conf.user()).hasValue("gh ost");
        assertThat(conf.password()).hasValue("a#b;c");
    }

    @Test
    void cutsUnquotedValuesAtAComment() throws Exception {
        ConfFile conf = read("[client]\nuser=ghost # the migration user\npassword=a;b\n");

        assertThat(conf.user()).hasValue("ghost");
        assertThat(conf.password()).hasValue("a");
    }

    @Test
    void replacesAValueThatNamesAnEnvironmentVariable() throws Exception {
        ConfFile conf = read("[client]\nuser=${GHOST_USER}\npassword=${UNSET}\n", Map.of("GHOST_USER", "env-user"));

        assertThat(conf.user()).hasValue("env-user");
        assertThat(conf.password()).hasValue("");
    }

    @Test
    void leavesMissingKeysEmpty() throws Exception {
        assertThat(read("[client]\n; nothing\n")).isEqualTo(new ConfFile(Optional.empty(), Optional.empty()));
    }
}
