package dev.ghost.internal.copy;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class CopyThreadsTest {

    @Test
    void oneThreadPerFourServerCoresUpToFour() {
        assertThat(CopyThreads.forCores(OptionalInt.of(2))).isEqualTo(1);
        assertThat(CopyThreads.forCores(OptionalInt.of(4))).isEqualTo(1);
        assertThat(CopyThreads.forCores(OptionalInt.of(8))).isEqualTo(2);
        assertThat(CopyThreads.forCores(OptionalInt.of(64))).isEqualTo(4);
    }

    @Test
    void oneThreadWhenTheServerDoesNotTellItsCores() {
        assertThat(CopyThreads.forCores(OptionalInt.empty())).isEqualTo(1);
    }
}
