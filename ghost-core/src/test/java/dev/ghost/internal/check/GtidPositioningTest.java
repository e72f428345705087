package dev.ghost.internal.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which MySQL GTID settings let the binlog reader start by GTID (MariaDB has none to check). */
class GtidPositioningTest {

    @ParameterizedTest
    @CsvSource({"ON, ON", "on, on", "ON, 1"})
    void acceptsGtidModeOnWithEnforcedConsistency(String mode, String enforce) {
        assertThat(GtidPositioning.mysqlProblem(mode, enforce)).isEmpty();
    }

    @Test
    void refusesEveryModeButOnAndSaysWhatWasFound() {
        assertThat(GtidPositioning.mysqlProblem("OFF", "OFF")).contains("gtid_mode is OFF, ON is required");
        assertThat(GtidPositioning.mysqlProblem("OFF_PERMISSIVE", "ON"))
                .contains("gtid_mode is OFF_PERMISSIVE, ON is required (anonymous transactions may still be written)");
        assertThat(GtidPositioning.mysqlProblem("ON_PERMISSIVE", "ON"))
                .contains("gtid_mode is ON_PERMISSIVE, ON is required (anonymous transactions may still be written)");
        assertThat(GtidPositioning.mysqlProblem(null, null)).contains("gtid_mode is null, ON is required");
    }

    @Test
    void refusesGtidModeOnWithoutEnforcedConsistency() {
        assertThat(GtidPositioning.mysqlProblem("ON", "WARN"))
                .contains("enforce_gtid_consistency is WARN, ON is required");
    }
}
