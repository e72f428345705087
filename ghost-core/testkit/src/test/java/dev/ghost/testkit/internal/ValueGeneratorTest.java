package dev.ghost.testkit.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueGeneratorTest {

    private static TableShape.Column column(String dataType, String columnType, long chars, long octets,
                                            int precision, int scale, String charset) {
        return new TableShape.Column("c", dataType, columnType, false, false, false, false, chars, octets, precision,
                scale, 0, charset, false);
    }

    @Test
    void readsEnumAndSetMembersWithQuotesAndCommas() {
        assertEquals(List.of("new", "it's", "a,b", ""), ValueGenerator.members("enum('new','it''s','a,b','')"));
        assertEquals(List.of("red", "green"), ValueGenerator.members("set('red','green')"));
    }

    @Test
    void textFitsTheColumnInCharactersAndBytes() {
        ValueGenerator values = new ValueGenerator(new Random(1));
        TableShape.Column tinytext = column("tinytext", "tinytext", 255, 255, -1, -1, "utf8mb4");
        TableShape.Column varchar = column("varchar", "varchar(5)", 5, 20, -1, -1, "utf8mb4");
        for (int i = 0; i < 2_000; i++) {
            String tiny = (String) values.nonNull(tinytext);
            assertTrue(tiny.getBytes(StandardCharsets.UTF_8).length <= 255, tiny);
            String short5 = (String) values.nonNull(varchar);
            assertTrue(short5.codePointCount(0, short5.length()) <= 5, short5);
        }
    }

    @Test
    void numbersStayWithinTheirTypes() {
        ValueGenerator values = new ValueGenerator(new Random(2));
        TableShape.Column decimal = column("decimal", "decimal(5,2) unsigned", -1, -1, 5, 2, null);
        TableShape.Column tinyint = column("tinyint", "tinyint(3) unsigned", -1, -1, 3, 0, null);
        for (int i = 0; i < 2_000; i++) {
            BigDecimal d = (BigDecimal) values.nonNull(decimal);
            assertTrue(d.signum() >= 0 && d.compareTo(new BigDecimal("999.99")) <= 0, d::toString);
            long t = (Long) values.nonNull(tinyint);
            assertTrue(t >= 0 && t <= 255, () -> Long.toString(t));
        }
    }
}
