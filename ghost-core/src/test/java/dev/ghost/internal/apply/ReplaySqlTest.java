package dev.ghost.internal.apply;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplaySqlTest {

    private static final ColumnSchema A = new ColumnSchema("a", 0, "int", "int(11)", false, null, false, 0);
    private static final ColumnSchema B = new ColumnSchema("b", 1, "varchar", "varchar(5)", false, "latin1", false, 0);
    private static final ColumnSchema E = new ColumnSchema("e", 2, "enum", "enum('x')", true, "utf8mb4", false, 0);

    private static ReplaySql sql(List<ColumnSchema> key, List<String> keyTargets) {
        return new ReplaySql(new ReplayPlan(new TableName("s", "t"), new TableName("s", "_t_gho"),
                new TableName("s", "_t_ghc"), List.of(A, B, E), List.of("a", "b", "e"), key, keyTargets, false));
    }

    @Test
    void replaceConvertsTextFromItsOwnCharset() {
        assertThat(sql(List.of(A), List.of("a")).replace(2)).isEqualTo("REPLACE INTO `s`.`_t_gho` (`a`, `b`, `e`) "
                + "VALUES (?, CONVERT(? USING latin1), ?), (?, CONVERT(? USING latin1), ?)");
    }

    @Test
    void deleteBySingleAndCompositeKey() {
        assertThat(sql(List.of(A), List.of("a")).delete(3)).isEqualTo("DELETE FROM `s`.`_t_gho` WHERE `a` IN (?, ?, ?)");
        assertThat(sql(List.of(A, B), List.of("a", "b")).delete(2)).isEqualTo("DELETE FROM `s`.`_t_gho` WHERE "
                + "(`a` = ? AND `b` = CONVERT(? USING latin1)) OR (`a` = ? AND `b` = CONVERT(? USING latin1))");
    }
}
