package dev.ghost.liquibase;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlterBodyTest {

    @Test
    void acceptsTheBodyOfOneAlterOfTheTable() {
        assertThat(AlterBody.of("orders", "ADD COLUMN note VARCHAR(64), ADD INDEX idx (note);"))
                .isEqualTo("ADD COLUMN note VARCHAR(64), ADD INDEX idx (note)");
        assertThat(AlterBody.of("orders", "ALTER TABLE `shop`.`orders` DROP COLUMN note"))
                .isEqualTo("DROP COLUMN note");
        assertThat(AlterBody.of("orders", "MODIFY note VARCHAR(64) DEFAULT 'a;b' COMMENT 'x; DROP TABLE y'"))
                .isEqualTo("MODIFY note VARCHAR(64) DEFAULT 'a;b' COMMENT 'x; DROP TABLE y'");
        assertThat(AlterBody.of("orders", "DROP INDEX idx, RENAME INDEX a TO b, RENAME COLUMN c TO d"))
                .startsWith("DROP INDEX idx");
    }

    @Test
    void refusesAnythingElseSayingWhatToDo() {
        assertThatThrownBy(() -> AlterBody.of("orders", "ADD COLUMN a INT; DROP TABLE orders"))
                .hasMessageContainingAll("orders", "more than one statement");
        assertThatThrownBy(() -> AlterBody.of("orders", "ALTER TABLE customers ADD COLUMN a INT"))
                .hasMessageContainingAll("another table", "customers");
        assertThatThrownBy(() -> AlterBody.of("orders", "DROP TABLE orders"))
                .hasMessageContainingAll("starts a statement of its own", "DROP TABLE", "sql change");
        assertThatThrownBy(() -> AlterBody.of("orders", "UPDATE orders SET a = 1"))
                .hasMessageContaining("starts a statement of its own");
        assertThatThrownBy(() -> AlterBody.of("orders", "RENAME TO orders_v2"))
                .hasMessageContainingAll("renames the table", "renameTable");
        assertThatThrownBy(() -> AlterBody.of("orders", "  "))
                .hasMessageContaining("needs alter");
        assertThatThrownBy(() -> AlterBody.of("orders", "ADD COLUMN a VARCHAR(3) DEFAULT 'x"))
                .hasMessageContaining("unterminated");
    }
}
