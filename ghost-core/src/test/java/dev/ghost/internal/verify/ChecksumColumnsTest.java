package dev.ghost.internal.verify;

import dev.ghost.spi.ColumnSchema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChecksumColumnsTest {

    private static ColumnSchema column(String name, String dataType, String columnType, String charset,
                                       String collation, int fraction) {
        return new ColumnSchema(name, 0, dataType, columnType, true, charset, false, fraction, collation);
    }

    @Test
    void anUnchangedColumnIsComparedAsItIs() {
        ColumnSchema v = column("v", "varchar", "varchar(20)", "utf8mb4", "utf8mb4_general_ci", 0);
        assertThat(ChecksumColumns.of(v, v)).isEqualTo(new ChecksumColumns("`v`", "`v`"));
    }

    @Test
    void aChangedColumnIsComparedUnderItsNewType() {
        assertThat(ChecksumColumns.of(column("n", "int", "int(11)", null, null, 0),
                column("n", "bigint", "bigint(20) unsigned", null, null, 0)))
                .isEqualTo(new ChecksumColumns("CAST(`n` AS UNSIGNED)", "`n`"));
        assertThat(ChecksumColumns.of(column("d", "decimal", "decimal(10,2)", null, null, 2),
                column("d", "decimal", "decimal(12,4)", null, null, 4)))
                .isEqualTo(new ChecksumColumns("CAST(`d` AS DECIMAL(12,4))", "`d`"));
        assertThat(ChecksumColumns.of(column("t", "datetime", "datetime(6)", null, null, 6),
                column("t", "timestamp", "timestamp(3)", null, null, 3)))
                .isEqualTo(new ChecksumColumns("CAST(`t` AS DATETIME(3))", "`t`"));
        assertThat(ChecksumColumns.of(column("v", "varchar", "varchar(20)", "latin1", "latin1_swedish_ci", 0),
                column("w", "varchar", "varchar(20)", "utf8mb4", "utf8mb4_bin", 0)))
                .isEqualTo(new ChecksumColumns("CONVERT(`v` USING utf8mb4)", "`w`"));
        assertThat(ChecksumColumns.of(column("v", "varchar", "varchar(20)", "utf8mb4", "utf8mb4_bin", 0),
                column("v", "char", "char(20)", "utf8mb4", "utf8mb4_bin", 0)))
                .isEqualTo(new ChecksumColumns("RTRIM(CONVERT(`v` USING utf8mb4))", "`v`"));
        assertThat(ChecksumColumns.of(column("b", "bit", "bit(4)", null, null, 0),
                column("b", "bit", "bit(8)", null, null, 0)))
                .isEqualTo(new ChecksumColumns("CAST(`b` AS UNSIGNED)", "`b`+0"));
    }

    @Test
    void onlyTheCollationChangingIsAChangeToo() {
        ColumnSchema bin = column("e", "varchar", "varchar(32)", "utf8mb4", "utf8mb4_bin", 0);
        ColumnSchema ci = column("e", "varchar", "varchar(32)", "utf8mb4", "utf8mb4_general_ci", 0);
        assertThat(ChecksumColumns.sameType(bin, ci)).isFalse();
        assertThat(ChecksumColumns.of(bin, ci)).isEqualTo(new ChecksumColumns("CONVERT(`e` USING utf8mb4)", "`e`"));
    }

    @Test
    void enumsCompareByLabelWhateverTheCase() {
        assertThat(ChecksumColumns.of(column("s", "varchar", "varchar(10)", "utf8mb4", "utf8mb4_general_ci", 0),
                column("s", "enum", "enum('a','b')", "utf8mb4", "utf8mb4_general_ci", 0)))
                .isEqualTo(new ChecksumColumns("LOWER(CONVERT(`s` USING utf8mb4))", "LOWER(CONVERT(`s` USING utf8mb4))"));
    }
}
