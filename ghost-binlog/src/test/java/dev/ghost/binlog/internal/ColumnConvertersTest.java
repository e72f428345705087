package dev.ghost.binlog.internal;

import dev.ghost.spi.ColumnSchema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnConvertersTest {

    private static ColumnSchema column(String dataType, String columnType) {
        return column(dataType, columnType, 0);
    }

    private static ColumnSchema column(String dataType, String columnType, int fractionDigits) {
        return new ColumnSchema("c", 0, dataType, columnType, true, null, false, fractionDigits);
    }

    private static Object convert(ColumnSchema column, Object raw) {
        return ColumnConverters.forColumn(column).convert(raw);
    }

    @Test
    void unsignedIntegersAreRecoveredFromTheirSignedFormByWidth() {
        assertThat(convert(column("tinyint", "tinyint(3) unsigned"), -1L)).isEqualTo(255L);
        assertThat(convert(column("tinyint", "tinyint(4)"), -1L)).isEqualTo(-1L);
        assertThat(convert(column("smallint", "smallint(5) unsigned"), -1L)).isEqualTo(65535L);
        assertThat(convert(column("mediumint", "mediumint(8) unsigned"), -1L)).isEqualTo(16777215L);
        assertThat(convert(column("mediumint", "mediumint(8) unsigned"), -8388608L)).isEqualTo(8388608L);
        assertThat(convert(column("int", "int(10) unsigned zerofill"), -1L)).isEqualTo(4294967295L);
        assertThat(convert(column("int", "int(10) unsigned"), 7L)).isEqualTo(7L);
        assertThat(convert(column("bigint", "bigint(20) unsigned"), -1L))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(convert(column("bigint", "bigint(20) unsigned"), Long.MIN_VALUE))
                .isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(convert(column("bigint", "bigint(20) unsigned"), Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(convert(column("bigint", "bigint(20)"), -1L)).isEqualTo(-1L);
    }

    @Test
    void unsignedHelpersByWidth() {
        assertThat(UnsignedIntegers.unsigned(-128, 1)).isEqualTo(128);
        assertThat(UnsignedIntegers.unsigned(-32768, 2)).isEqualTo(32768);
        assertThat(UnsignedIntegers.unsigned(Integer.MIN_VALUE, 4)).isEqualTo(2147483648L);
        assertThat(UnsignedIntegers.unsignedBigint(0)).isEqualTo(0L);
    }

    @Test
    void enumIndexesBecomeLabelsAndZeroIsTheEmptyString() {
        ColumnSchema e = column("enum", "enum('a','it''s','Upper')");
        assertThat(convert(e, 1)).isEqualTo("a");
        assertThat(convert(e, 2)).isEqualTo("it's");
        assertThat(convert(e, 3)).isEqualTo("Upper");
        assertThat(convert(e, 0)).isEqualTo("");
        assertThatThrownBy(() -> convert(e, 4)).hasMessageContaining("ENUM index 4 is out of range");
    }

    @Test
    void setBitmasksBecomeCommaJoinedLabelsInDeclarationOrder() {
        ColumnSchema s = column("set", "set('r','w','x')");
        assertThat(convert(s, 0L)).isEqualTo("");
        assertThat(convert(s, 0b101L)).isEqualTo("r,x");
        assertThat(convert(s, 0b111L)).isEqualTo("r,w,x");
        assertThatThrownBy(() -> convert(s, 0b1000L)).hasMessageContaining("bits beyond the labels");
        StringBuilder sixtyFour = new StringBuilder("set(");
        for (int i = 0; i < 64; i++) {
            sixtyFour.append(i == 0 ? "" : ",").append("'l").append(i).append("'");
        }
        assertThat((String) convert(column("set", sixtyFour + ")"), Long.MIN_VALUE)).isEqualTo("l63");
    }

    @Test
    void binaryIsPaddedWithTheZerosTheBinlogDropped() {
        ColumnSchema b = column("binary", "binary(4)");
        assertThat(convert(b, new byte[] {1, 2})).isEqualTo(new byte[] {1, 2, 0, 0});
        assertThat(convert(b, new byte[0])).isEqualTo(new byte[4]);
        byte[] full = {1, 2, 3, 4};
        assertThat(convert(b, full)).isSameAs(full);
        assertThat(convert(column("varbinary", "varbinary(4)"), new byte[] {1})).isEqualTo(new byte[] {1});
    }

    @Test
    void decimalsGetTheColumnScale() {
        assertThat(convert(column("decimal", "decimal(10,2)", 2), new BigDecimal("5")))
                .isEqualTo(new BigDecimal("5.00"));
        assertThat(((BigDecimal) convert(column("decimal", "decimal(10,2)", 2), new BigDecimal("5.10"))).scale())
                .isEqualTo(2);
    }

    @Test
    void everythingElsePassesThrough() {
        byte[] text = {(byte) 0xE9};
        assertThat(convert(column("varchar", "varchar(10)"), text)).isSameAs(text);
        assertThat(convert(column("datetime", "datetime(6)", 6), "2024-01-01 00:00:00.000000"))
                .isEqualTo("2024-01-01 00:00:00.000000");
        assertThat(convert(column("inet6", "inet6"), text)).isSameAs(text);
    }
}
