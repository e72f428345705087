package dev.ghost.internal.copy;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSqlTest {

    private static final KeyColumn A = new KeyColumn("a", KeyColumn.Kind.NUMBER, 0);
    private static final KeyColumn B = new KeyColumn("b", KeyColumn.Kind.TEXT, 0);
    private static final KeyColumn C = new KeyColumn("c", KeyColumn.Kind.BYTES, 0);

    private final CopyPlan plan = new CopyPlan(new TableName("shop", "orders"), new TableName("shop", "_orders_gho"),
            "PRIMARY", List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b", "c"));

    private static BigDecimal n(long value) {
        return BigDecimal.valueOf(value);
    }

    @Test
    void singleColumnBoundsAreSimpleComparisons() {
        KeyBounds bounds = new KeyBounds(List.of(new KeyColumn("id", KeyColumn.Kind.NUMBER, 0)));
        assertThat(bounds.after(new Object[] {n(5)}, false).sql()).isEqualTo("`id` > ?");
        assertThat(bounds.after(new Object[] {n(5)}, true).sql()).isEqualTo("`id` >= ?");
        assertThat(bounds.before(new Object[] {n(5)}, true).sql()).isEqualTo("`id` <= ?");
        assertThat(bounds.before(new Object[] {n(5)}, true).values()).containsExactly(n(5));
    }

    @Test
    void compositeBoundsExpandIntoDisjunctions() {
        KeyBounds bounds = new KeyBounds(List.of(A, B, C));
        KeyBounds.Fragment after = bounds.after(new Object[] {n(1), "x", new byte[] {2}}, false);
        assertThat(after.sql())
                .isEqualTo("(`a` > ?) OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` > ?)");
        assertThat(after.values()).hasSize(6).startsWith(n(1), n(1), "x", n(1), "x");
        assertThat(new KeyBounds(List.of(A, B)).before(new Object[] {n(1), "x"}, true).sql())
                .isEqualTo("(`a` < ?) OR (`a` = ? AND `b` <= ?)");
    }

    @Test
    void enumsAndSmallSetsCompareByTheirPositionAsListsOfValues() {
        // ENUM('pending','active','closed','archived'): values 0 ('' of an invalid value) to 4, sorted by position.
        KeyColumn status = KeyColumn.of(new ColumnSchema("status", 0, "enum",
                "enum('pending','active','closed','archived')", false, "utf8mb4", false, 0));
        assertThat(status).isEqualTo(new KeyColumn("status", KeyColumn.Kind.ORDINAL, 5));
        KeyBounds bounds = new KeyBounds(List.of(status, A));
        assertThat(bounds.after(new Object[] {n(2), n(7)}, false).sql())
                .isEqualTo("(`status` IN (3, 4)) OR (`status` = ? AND `a` > ?)");
        assertThat(bounds.before(new Object[] {n(2), n(7)}, true).sql())
                .isEqualTo("(`status` IN (0, 1)) OR (`status` = ? AND `a` <= ?)");
        assertThat(bounds.after(new Object[] {n(4), n(7)}, false).sql())
                .isEqualTo("(0 = 1) OR (`status` = ? AND `a` > ?)");
        assertThat(bounds.selectList()).isEqualTo("`status`+0, `a`");
        assertThat(new KeyBounds(List.of(status)).after(new Object[] {n(3)}, true).sql())
                .isEqualTo("`status` IN (3, 4)");
    }

    @Test
    void bitsAndLargeSetsCompareAsNumbers() {
        KeyColumn bit = KeyColumn.of(new ColumnSchema("b", 0, "bit", "bit(5)", false, null, false, 0));
        assertThat(bit.kind()).isEqualTo(KeyColumn.Kind.ORDINAL);
        assertThat(new KeyBounds(List.of(bit)).after(new Object[] {n(3)}, false).sql()).isEqualTo("`b` > ?");
        KeyColumn bigSet = KeyColumn.of(new ColumnSchema("s", 0, "set",
                "set('a','b','c','d','e','f','g','h','i','j','k')", false, "utf8mb4", false, 0));
        assertThat(bigSet).isEqualTo(new KeyColumn("s", KeyColumn.Kind.ORDINAL, 0));
        KeyColumn smallSet = KeyColumn.of(new ColumnSchema("s", 0, "set", "set('a','b')", false, "utf8mb4",
                false, 0));
        assertThat(smallSet.domainSize()).isEqualTo(4);
    }

    @Test
    void copyStatementIgnoresExistingRowsAndLocksSourceRows() {
        ChunkSql sql = new ChunkSql(plan, new KeyBounds(List.of(A, B)));
        ChunkSql.Statement copy = sql.copyChunk(new Object[] {n(1), "x"}, true, new Object[] {n(9), "y"});
        assertThat(copy.sql()).isEqualTo("INSERT IGNORE INTO `shop`.`_orders_gho` (`a`, `b`, `c`) "
                + "SELECT `a`, `b`, `c` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
                + "WHERE ((`a` > ?) OR (`a` = ? AND `b` >= ?)) AND ((`a` < ?) OR (`a` = ? AND `b` <= ?)) "
                + "LOCK IN SHARE MODE");
        assertThat(copy.values()).containsExactly(n(1), n(1), "x", n(9), n(9), "y");
        assertThat(sql.chunkEnd(new Object[] {n(1), "x"}, false, new Object[] {n(9), "y"}, 99).sql())
                .endsWith("ORDER BY `a` ASC, `b` ASC LIMIT 1 OFFSET 99");
        assertThat(sql.lastKey()).isEqualTo(
                "SELECT `a`, `b` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) ORDER BY `a` DESC, `b` DESC LIMIT 1");
    }

    @Test
    void identifiersWithBackquotesAreEscaped() {
        CopyPlan odd = new CopyPlan(new TableName("s", "we`ird"), new TableName("s", "_we`ird_gho"), "k`1",
                List.of("i`d"), List.of("i`d"), List.of("i`d"));
        assertThat(new ChunkSql(odd, new KeyBounds(List.of(new KeyColumn("i`d", KeyColumn.Kind.NUMBER, 0))))
                .firstKey())
                .isEqualTo("SELECT `i``d` FROM `s`.`we``ird` FORCE INDEX (`k``1`) ORDER BY `i``d` ASC LIMIT 1");
    }
}
