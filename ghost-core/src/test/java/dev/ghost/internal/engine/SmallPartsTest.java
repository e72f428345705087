package dev.ghost.internal.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SmallPartsTest {

    @Test
    void goDurationsLookLikeGhostsLogLines() {
        assertThat(GoDuration.format(Duration.ofNanos(23_456_789))).isEqualTo("23.456789ms");
        assertThat(GoDuration.format(Duration.ofMillis(20))).isEqualTo("20ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
        assertThat(GoDuration.format(Duration.ofNanos(1500))).isEqualTo("1.5µs");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    }
}
