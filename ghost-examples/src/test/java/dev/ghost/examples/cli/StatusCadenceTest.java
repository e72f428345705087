package dev.ghost.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusCadenceTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // elapsed, eta, since last interest -> interval
            "30,   -,    30,  1",
            "60,   10000, 60, 1",
            "61,   10000, 61, 5",
            "600,  50,   600, 1",
            "600,  0,    600, 1",
            "600,  150,  600, 5",
            "170,  10000, 170, 5",
            "600,  10000, 30,  5",
            "600,  10000, 600, 30",
            "600,  -,    600, 30"})
    void followsGhOstsCadence(long elapsed, Long eta, long sinceInterest, int expectedInterval) {
        assertThat(StatusCadence.intervalSeconds(Duration.ofSeconds(elapsed),
                Optional.ofNullable(eta).map(Duration::ofSeconds), Duration.ofSeconds(sinceInterest)))
                .isEqualTo(expectedInterval);
    }

    @Test
    void isDueOncePerIntervalEvenWhenTicksSkipASecond() {
        assertThat(StatusCadence.due(200, 201, 1)).isTrue();
        assertThat(StatusCadence.due(200, 204, 5)).isFalse();
        assertThat(StatusCadence.due(204, 206, 5)).isTrue(); // 205 was skipped by the ticker: still printed
        assertThat(StatusCadence.due(206, 209, 5)).isFalse();
        assertThat(StatusCadence.due(-1, 0, 30)).isTrue();
        assertThat(StatusCadence.due(210, 239, 30)).isFalse();
        assertThat(StatusCadence.due(210, 240, 30)).isTrue();
    }
}
