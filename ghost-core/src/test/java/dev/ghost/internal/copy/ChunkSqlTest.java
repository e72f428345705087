package dev.ghost.internal.copy;

import dev.ghost.spi.CopyPlan;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSqlTest {

    private final CopyPlan plan = new CopyPlan(new TableName("shop", "orders"), new TableName("shop", "_orders_gho"),
            "PRIMARY", List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b", "c"));

    @Test
    void singleColumnBoundsAreSimpleComparisons() {
        assertThat(ChunkSql.lowerBound(List.of("id"), false)).isEqualTo("`id` > ?");
        assertThat(ChunkSql.lowerBound(List.of("id"), true)).isEqualTo("`id` >= ?");
        assertThat(ChunkSql.upperBound(List.of("id"))).isEqualTo("`id` <= ?");
    }

    @Test
    void compositeBoundsExpandIntoDisjunctions() {
        assertThat(ChunkSql.lowerBound(List.of("a", "b", "c"), false))
                .isEqualTo("(`a` > ?) OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` > ?)");
        assertThat(ChunkSql.upperBound(List.of("a", "b")))
                .isEqualTo("(`a` < ?) OR (`a` = ? AND `b` <= ?)");
        assertThat(ChunkSql.parameterOrder(3)).containsExactly(0, 0, 1, 0, 1, 2);
    }

    @Test
    void copyStatementIgnoresExistingRowsAndLocksSourceRows() {
        ChunkSql sql = new ChunkSql(plan);
        assertThat(sql.copyChunk(true)).isEqualTo("INSERT IGNORE INTO `shop`.`_orders_gho` (`a`, `b`, `c`) "
                + "SELECT `a`, `b`, `c` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
                + "WHERE ((`a` > ?) OR (`a` = ? AND `b` >= ?)) AND ((`a` < ?) OR (`a` = ? AND `b` <= ?)) "
                + "LOCK IN SHARE MODE");
        assertThat(sql.chunkEnd(false)).endsWith("ORDER BY `a` ASC, `b` ASC LIMIT 1 OFFSET ?");
        assertThat(sql.lastKey()).isEqualTo(
                "SELECT `a`, `b` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) ORDER BY `a` DESC, `b` DESC LIMIT 1");
    }

    @Test
    void identifiersWithBackquotesAreEscaped() {
        CopyPlan odd = new CopyPlan(new TableName("s", "we`ird"), new TableName("s", "_we`ird_gho"), "k`1",
                List.of("i`d"), List.of("i`d"), List.of("i`d"));
        assertThat(new ChunkSql(odd).firstKey())
                .isEqualTo("SELECT `i``d` FROM `s`.`we``ird` FORCE INDEX (`k``1`) ORDER BY `i``d` ASC LIMIT 1");
    }
}
