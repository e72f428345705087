package dev.ghost.internal.apply;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.TableName;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplaySqlTest {

    private static final ColumnSchema A = new ColumnSchema("a", 0, "int", "int(11)", false, null, false, 0);
    private static final ColumnSchema B = new ColumnSchema("b", 1, "varchar", "varchar(5)", false, "latin1", false, 0,
            "latin1_swedish_ci");
    private static final ColumnSchema E = new ColumnSchema("e", 2, "enum", "enum('x')", true, "utf8mb4", false, 0);
    private static final ColumnSchema GHOST_B = new ColumnSchema("b", 1, "varchar", "varchar(5)", false, "utf8mb4",
            false, 0, "utf8mb4_bin");

    private static ReplayPlan plan(List<ColumnSchema> key, List<String> keyTargets,
                                   List<ReplayPlan.UniqueCheck> checks) {
        return new ReplayPlan(new TableName("s", "t"), new TableName("s", "_t_gho"), new TableName("s", "_t_ghc"),
                List.of(A, B, E), List.of("a", "b", "e"), key, keyTargets, "PRIMARY", false, List.of(A, GHOST_B, E),
                checks, false);
    }

    private static ReplaySql sql(List<ColumnSchema> key, List<String> keyTargets) {
        return new ReplaySql(plan(key, keyTargets, List.of()));
    }

    @Test
    void upsertCopiesTheKeysCurrentRowsFromTheOriginalUnderALock() {
        assertThat(sql(List.of(A), List.of("a")).upsert(2)).isEqualTo("REPLACE INTO `s`.`_t_gho` (`a`, `b`, `e`) "
                + "SELECT `a`, `b`, `e` FROM `s`.`t` FORCE INDEX (`PRIMARY`) WHERE `a` IN (?, ?) LOCK IN SHARE MODE");
    }

    @Test
    void aTextKeyIsComparedUnderTheOriginalsCollationInTheOriginalAndTheGhostsInTheGhost() {
        ReplaySql sql = sql(List.of(A, B), List.of("a", "b"));
        assertThat(sql.upsert(2)).endsWith("WHERE ((`a` = ? AND `b` = CONVERT(? USING latin1) COLLATE "
                + "latin1_swedish_ci) OR (`a` = ? AND `b` = CONVERT(? USING latin1) COLLATE latin1_swedish_ci)) "
                + "LOCK IN SHARE MODE");
        assertThat(sql.delete(1)).isEqualTo("DELETE FROM `s`.`_t_gho` WHERE ((`a` = ? AND `b` = "
                + "CONVERT(CONVERT(? USING latin1) USING utf8mb4) COLLATE utf8mb4_bin))");
    }

    @Test
    void aNullableKeyComparesNullSafely() {
        ColumnSchema nullable = new ColumnSchema("n", 0, "int", "int(11)", true, null, false, 0);
        ReplaySql sql = new ReplaySql(new ReplayPlan(new TableName("s", "t"), new TableName("s", "_t_gho"),
                new TableName("s", "_t_ghc"), List.of(nullable), List.of("n"), List.of(nullable), List.of("n"),
                "uk", false));
        assertThat(sql.delete(2)).isEqualTo("DELETE FROM `s`.`_t_gho` WHERE ((`n` <=> ?) OR (`n` <=> ?))");
        assertThat(sql.upsert(1)).endsWith("WHERE ((`n` <=> ?)) LOCK IN SHARE MODE");
    }

    @Test
    void deleteBySingleKey() {
        assertThat(sql(List.of(A), List.of("a")).delete(3)).isEqualTo("DELETE FROM `s`.`_t_gho` WHERE `a` IN (?, ?, ?)");
    }

    @Test
    void evictionsJoinTheOriginalsRowsWithGhostRowsOfTheSameUniqueValueButAnotherKey() {
        ReplayPlan.UniqueCheck check = new ReplayPlan.UniqueCheck("uk_b", List.of(B), List.of("b"));
        ReplaySql sql = new ReplaySql(plan(List.of(A), List.of("a"), List.of(check)));
        assertThat(sql.evictions(check, 2)).isEqualTo("SELECT CONCAT_WS('-', g.`b`) FROM `s`.`t` o FORCE INDEX "
                + "(`PRIMARY`) JOIN `s`.`_t_gho` g ON g.`b` = CONVERT(o.`b` USING utf8mb4) COLLATE utf8mb4_bin "
                + "WHERE o.`a` IN (?, ?) AND NOT (g.`a` = o.`a`) LIMIT 1 LOCK IN SHARE MODE");
        assertThat(sql.duplicatesAmong(check, 1)).isEqualTo("SELECT CONCAT_WS('-', CONVERT(o.`b` USING utf8mb4) "
                + "COLLATE utf8mb4_bin) FROM `s`.`t` o FORCE INDEX (`PRIMARY`) WHERE o.`a` IN (?) AND o.`b` IS NOT "
                + "NULL GROUP BY CONVERT(o.`b` USING utf8mb4) COLLATE utf8mb4_bin HAVING COUNT(*) > 1 LIMIT 1 "
                + "LOCK IN SHARE MODE");
    }
}
