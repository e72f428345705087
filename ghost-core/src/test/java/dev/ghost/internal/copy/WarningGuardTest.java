package dev.ghost.internal.copy;

import org.junit.jupiter.api.Test;

import java.sql.SQLWarning;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WarningGuardTest {

    private final WarningGuard guard = new WarningGuard(Set.of("PRIMARY", "uk_email"));

    @Test
    void duplicatesOnKnownKeysAreExpectedInBothFlavours() {
        assertThat(guard.expected(1062, "Duplicate entry '5' for key 'PRIMARY'")).isTrue();
        assertThat(guard.expected(1062, "Duplicate entry 'a@b' for key '_t_gho.uk_email'")).isTrue();
    }

    @Test
    void duplicatesOnNewKeysAndTruncationsMeanDataLoss() {
        SQLWarning warnings = new SQLWarning("Duplicate entry 'x' for key 'uk_new'", "23000", 1062);
        warnings.setNextWarning(new SQLWarning("Data truncated for column 'c' at row 2", "01000", 1265));
        warnings.setNextWarning(new SQLWarning("Duplicate entry '7' for key 'PRIMARY'", "23000", 1062));
        assertThat(guard.dataLosing(warnings)).containsExactly(
                "Warning: Duplicate entry 'x' for key 'uk_new' (1062)",
                "Warning: Data truncated for column 'c' at row 2 (1265)");
    }

    @Test
    void saysWhyWarningsItCouldNotReadStopTheMigrationAndHowToAvoidThat() {
        assertThat(WarningGuard.unread(70, 64, 64, "a smaller --chunk-size")).contains("could not all be read",
                "reported 70", "lists only 64", "max_error_count = 64", "a smaller --chunk-size",
                "SET GLOBAL max_error_count = 1024");
    }
}
