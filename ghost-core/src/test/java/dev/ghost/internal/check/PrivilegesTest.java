package dev.ghost.internal.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrivilegesTest {

    @Test
    void allPrivilegesOnEverythingIsEnough() {
        assertThat(Privileges.missing(List.of("GRANT ALL PRIVILEGES ON *.* TO `ghost`@`127.0.0.1` WITH GRANT OPTION"),
                "shop")).isEmpty();
    }

    @Test
    void schemaGrantsPlusReplicationGrantsAreEnough() {
        assertThat(Privileges.missing(List.of(
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*X'",
                "GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%`"), "shop")).isEmpty();
    }

    @Test
    void namesEachMissingGrant() {
        assertThat(Privileges.missing(List.of(
                "GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX ON `shop`.* TO `u`@`%`",
                "GRANT SELECT ON `other`.* TO `u`@`%`"), "shop"))
                .containsExactly("LOCK TABLES ON `shop`.*", "REPLICATION SLAVE ON *.*", "REPLICATION CLIENT ON *.*");
    }

    @Test
    void includedTriggersNeedTheTriggerGrant() {
        List<String> grants = List.of("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `u`@`%`",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, LOCK TABLES ON `shop`.* TO `u`@`%`");
        assertThat(Privileges.missing(grants, "shop", false)).isEmpty();
        assertThat(Privileges.missing(grants, "shop", true)).containsExactly("TRIGGER ON `shop`.*");
    }

    @Test
    void rolesMakeTheAnswerUnknowableSoNothingIsRefused() {
        assertThat(Privileges.missing(List.of("GRANT USAGE ON *.* TO `u`@`%`", "GRANT `migrator` TO `u`@`%`"), "shop"))
                .isEmpty();
    }

    @Test
    void versionsAreReadFromBothFlavours() {
        assertThat(Preflight.versionParts("11.4.5-MariaDB-log")).containsExactly(11, 4);
        assertThat(Preflight.versionParts("8.0.36")).containsExactly(8, 0);
        assertThat(Preflight.versionParts("5.5.5-10.11.19-MariaDB")).containsExactly(5, 5);
    }
}
