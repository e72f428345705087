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
        assertThat(guard.dataLosing(warnings)).containsExactly("1062 Duplicate entry 'x' for key 'uk_new'",
                "1265 Data truncated for column 'c' at row 2");
    }
}
