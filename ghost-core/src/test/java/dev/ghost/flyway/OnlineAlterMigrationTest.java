package dev.ghost.flyway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What Flyway reads from a migration before running it: version, description, transaction, checksum. */
class OnlineAlterMigrationTest {

    static class V7__Add_note_to_orders extends OnlineAlterMigration {
        V7__Add_note_to_orders() {
            super("orders", "ADD COLUMN note VARCHAR(64)");
        }
    }

    static class V7_1__Add_note_to_orders extends OnlineAlterMigration {
        V7_1__Add_note_to_orders() {
            super("orders", "ADD COLUMN note VARCHAR(65)");
        }
    }

    @Test
    void flywaysNamingConventionGivesVersionAndDescription() {
        V7__Add_note_to_orders migration = new V7__Add_note_to_orders();
        assertThat(migration.getVersion().getVersion()).isEqualTo("7");
        assertThat(migration.getDescription()).isEqualTo("Add note to orders");
        assertThat(migration.table()).isEqualTo("orders");
        assertThat(migration.alter()).isEqualTo("ADD COLUMN note VARCHAR(64)");
    }

    @Test
    void runsOutsideFlywaysTransaction() {
        assertThat(new V7__Add_note_to_orders().canExecuteInTransaction()).isFalse();
    }

    @Test
    void theChecksumFollowsTheAlterSoThatValidateNoticesAnEditedMigration() {
        assertThat(new V7__Add_note_to_orders().getChecksum())
                .isNotNull()
                .isEqualTo(new V7__Add_note_to_orders().getChecksum())
                .isNotEqualTo(new V7_1__Add_note_to_orders().getChecksum());
    }
}
