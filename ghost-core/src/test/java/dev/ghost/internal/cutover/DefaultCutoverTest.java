package dev.ghost.internal.cutover;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cut-over used when none is set: atomic, also where rename-under-lock would be possible. */
class DefaultCutoverTest {

    @Test
    void theDefaultIsAtomicEvenOnMySqlThatCanRenameUnderLock() {
        assertThat(CutoverSupport.renamesUnderLock("8.0.36", "MySQL Community Server - GPL")).isTrue();
        assertThat(CutoverSupport.defaultStrategy()).isInstanceOf(AtomicCutover.class);
        assertThat(CutoverSupport.defaultStrategy().name()).isEqualTo("atomic");
    }
}
