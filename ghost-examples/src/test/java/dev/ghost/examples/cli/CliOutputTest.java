package dev.ghost.examples.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CliOutputTest {

    @Test
    void theResourceLineGivesTheLockToATenthOfAMillisecondAndTheHeapInMegabytes() {
        assertThat(CliOutput.resourceLine(Duration.ofNanos(12_345_678), 87L * 1024 * 1024 + 300_000))
                .isEqualTo("# ghost: cut-over lock 12.3 ms; peak heap 87 MB");
        assertThat(CliOutput.resourceLine(Duration.ofMillis(1500), 0))
                .isEqualTo("# ghost: cut-over lock 1500.0 ms; peak heap 0 MB");
    }
}
