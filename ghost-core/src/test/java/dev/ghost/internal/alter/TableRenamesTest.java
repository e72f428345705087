package dev.ghost.internal.alter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableRenamesTest {

    @Test
    void theCutoversOwnStatementsAreRenames() {
        assertThat(TableRenames.isRenameOnly("RENAME TABLE `s`.`t` TO `s`.`t_gcs`, `s`.`_t_gho` TO `s`.`t`")).isTrue();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE `s`.`t` RENAME TO `s`.`_t_del`")).isTrue();
        assertThat(TableRenames.isRenameOnly("RENAME TABLE `s`.`_t_gho` TO `s`.`t`")).isTrue();
    }

    @Test
    void otherRenameSpellingsAreRenames() {
        assertThat(TableRenames.isRenameOnly("rename tables t to u")).isTrue();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t RENAME u;")).isTrue();
        assertThat(TableRenames.isRenameOnly("ALTER ONLINE IGNORE TABLE IF EXISTS s.t NOWAIT RENAME AS s.u")).isTrue();
        assertThat(TableRenames.isRenameOnly("/* ghost */ ALTER TABLE t WAIT 5 RENAME TO u")).isTrue();
        assertThat(TableRenames.isRenameOnly("/*M!100301 RENAME TABLE t TO u */")).isTrue();
    }

    @Test
    void anythingMoreIsNotARename() {
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t RENAME TO u, ADD COLUMN c INT")).isFalse();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t ADD COLUMN c INT, RENAME TO u")).isFalse();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t RENAME COLUMN a TO b")).isFalse();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t RENAME INDEX a TO b")).isFalse();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t ENGINE=InnoDB")).isFalse();
        assertThat(TableRenames.isRenameOnly("RENAME USER a TO b")).isFalse();
        assertThat(TableRenames.isRenameOnly("TRUNCATE TABLE t")).isFalse();
        assertThat(TableRenames.isRenameOnly("DROP TABLE t")).isFalse();
        assertThat(TableRenames.isRenameOnly("UPDATE t SET rename = 1")).isFalse();
        assertThat(TableRenames.isRenameOnly("ALTER TABLE t RENAME TO 'u")).isFalse();
        assertThat(TableRenames.isRenameOnly("")).isFalse();
    }
}
