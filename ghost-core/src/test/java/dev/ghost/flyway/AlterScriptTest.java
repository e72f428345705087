package dev.ghost.flyway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlterScriptTest {

    @Test
    void oneAlterTableWithCommentsAndATrailingSemicolon() {
        AlterScript script = AlterScript.parse("""
                -- index the customers; note the semicolon in this comment
                /* a block comment */
                ALTER TABLE orders
                    ADD COLUMN note VARCHAR(64) DEFAULT 'a;b -- not a comment', # a comment
                    ADD INDEX idx_note (note);
                """, "V8__x.ghost");
        assertThat(script.table()).isEqualTo("orders");
        assertThat(script.clauses()).isEqualTo("""
                ADD COLUMN note VARCHAR(64) DEFAULT 'a;b -- not a comment',\s
                    ADD INDEX idx_note (note)""");
    }

    @Test
    void quotedNamesAndEscapes() {
        AlterScript script = AlterScript.parse("alter table `order``s` add column c varchar(8) default 'it\\'s;'",
                "V8__x.ghost");
        assertThat(script.table()).isEqualTo("order`s");
        assertThat(script.clauses()).isEqualTo("add column c varchar(8) default 'it\\'s;'");
    }

    @Test
    void refusesAnythingButExactlyOneAlterTableOfAnUnqualifiedTable() {
        assertThatThrownBy(() -> AlterScript.parse("ALTER TABLE a ADD c INT; ALTER TABLE b ADD c INT;", "V8__x.ghost"))
                .hasMessageContainingAll("V8__x.ghost", "2 statements", "exactly one ALTER TABLE");
        assertThatThrownBy(() -> AlterScript.parse("-- nothing\n", "V8__x.ghost"))
                .hasMessageContaining("0 statements");
        assertThatThrownBy(() -> AlterScript.parse("UPDATE orders SET a = 1", "V8__x.ghost"))
                .hasMessageContainingAll("V8__x.ghost", "UPDATE orders SET a = 1", "one ALTER TABLE statement");
        assertThatThrownBy(() -> AlterScript.parse("ALTER TABLE shop.orders ADD c INT", "V8__x.ghost"))
                .hasMessageContainingAll("without its database", "shop.orders");
        assertThatThrownBy(() -> AlterScript.parse("ALTER TABLE orders", "V8__x.ghost"))
                .hasMessageContaining("without clauses");
        assertThatThrownBy(() -> AlterScript.parse("ALTER TABLE orders ADD c VARCHAR(8) DEFAULT 'x", "V8__x.ghost"))
                .hasMessageContainingAll("V8__x.ghost", "' quote is not closed");
    }
}
