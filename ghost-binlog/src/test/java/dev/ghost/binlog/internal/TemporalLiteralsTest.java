package dev.ghost.binlog.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TemporalLiteralsTest {

    /** Packs a TIME like the server (my_time_packed_to_binary) and returns {3-byte int part, fraction bytes}. */
    private static long[] packTime(boolean negative, int hour, int minute, int second, int micros, int fsp) {
        long packed = ((long) ((hour << 12) | (minute << 6) | second) << 24) + micros;
        return packedToBinary(negative ? -packed : packed, fsp, 0x800000L);
    }

    private static long[] packDatetime(int year, int month, int day, int hour, int minute, int second, int micros,
                                       int fsp) {
        long fields = ((long) (year * 13 + month) << 22) | ((long) day << 17) | (hour << 12) | (minute << 6) | second;
        return packedToBinary((fields << 24) + micros, fsp, 0x8000000000L);
    }

    private static long[] packedToBinary(long packed, int fsp, long intOffset) {
        long intPart = packed >> 24;
        long fraction = packed % (1L << 24);
        return switch ((fsp + 1) / 2) {
            case 0 -> new long[] {intOffset + intPart, 0};
            case 1 -> new long[] {intOffset + intPart, (fraction / 10_000) & 0xFF};
            case 2 -> new long[] {intOffset + intPart, (fraction / 100) & 0xFFFF};
            default -> { // 6 bytes as one number: split it back into 3 + 3
                long whole = packed + (intOffset << 24);
                yield new long[] {whole >>> 24, whole & 0xFFFFFF};
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "00:00:00, 0, false, 0, 0, 0, 0",
            "838:59:59, 0, false, 838, 59, 59, 0",
            "-838:59:59, 0, true, 838, 59, 59, 0",
            "-00:00:01, 0, true, 0, 0, 1, 0",
            "-00:00:00.5, 1, true, 0, 0, 0, 500000",
            "-01:02:03.4, 1, true, 1, 2, 3, 400000",
            "-00:00:01.25, 2, true, 0, 0, 1, 250000",
            "-838:59:59.000, 3, true, 838, 59, 59, 0",
            "-12:00:00.250, 3, true, 12, 0, 0, 250000",
            "838:59:59.999, 3, false, 838, 59, 59, 999000",
            "-00:00:00.0001, 4, true, 0, 0, 0, 100",
            "23:59:59.99999, 5, false, 23, 59, 59, 999990",
            "-00:00:00.000001, 6, true, 0, 0, 0, 1",
            "-838:59:58.999999, 6, true, 838, 59, 58, 999999",
            "100:00:00.000000, 6, false, 100, 0, 0, 0",
    })
    void timeKeepsSignHoursAboveADayAndExactlyFspDigits(String literal, int fsp, boolean negative, int hour,
                                                        int minute, int second, int micros) {
        long[] binary = packTime(negative, hour, minute, second, micros, fsp);
        assertThat(TemporalLiterals.timeV2(binary[0], binary[1], fsp)).isEqualTo(literal);
    }

    @Test
    void everyNegativeFractionRoundTrips() {
        for (int fsp = 1; fsp <= 6; fsp++) {
            long unit = (long) Math.pow(10, 6 - fsp);
            for (long micros = 0; micros < 1_000_000; micros += unit * 7919 % 1_000_000 == 0 ? unit : unit * 7919) {
                long[] binary = packTime(true, 1, 0, 0, (int) micros, fsp);
                String fraction = String.format("%06d", micros).substring(0, fsp);
                assertThat(TemporalLiterals.timeV2(binary[0], binary[1], fsp)).isEqualTo("-01:00:00." + fraction);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'0000-00-00 00:00:00', 0, 0, 0, 0, 0, 0, 0, 0",
            "'2020-00-15 00:00:00', 0, 2020, 0, 15, 0, 0, 0, 0",
            "'1000-01-01 00:00:00.000000', 6, 1000, 1, 1, 0, 0, 0, 0",
            "'9999-12-31 23:59:59.999999', 6, 9999, 12, 31, 23, 59, 59, 999999",
            "'2024-02-29 13:14:15.123', 3, 2024, 2, 29, 13, 14, 15, 123000",
            "'2020-02-00 10:00:00.5', 1, 2020, 2, 0, 10, 0, 0, 500000",
            "'0001-01-01 00:00:00.01', 2, 1, 1, 1, 0, 0, 0, 10000",
    })
    void datetimeKeepsZeroPartsAndExactlyFspDigits(String literal, int fsp, int year, int month, int day, int hour,
                                                   int minute, int second, int micros) {
        long[] binary = packDatetime(year, month, day, hour, minute, second, micros, fsp);
        assertThat(TemporalLiterals.datetimeV2(binary[0], binary[1], fsp)).isEqualTo(literal);
    }

    @Test
    void timestampIsShownInUtcAndZeroIsTheZeroTimestamp() {
        assertThat(TemporalLiterals.timestamp(1, 0, 6)).isEqualTo("1970-01-01 00:00:01.000000");
        assertThat(TemporalLiterals.timestamp(2147483647L, 999999, 6)).isEqualTo("2038-01-19 03:14:07.999999");
        assertThat(TemporalLiterals.timestamp(1709212455L, 12, 2)).isEqualTo("2024-02-29 13:14:15.12");
        assertThat(TemporalLiterals.timestamp(0, 0, 3)).isEqualTo("0000-00-00 00:00:00.000");
        assertThat(TemporalLiterals.timestamp(0, 0, 0)).isEqualTo("0000-00-00 00:00:00");
    }

    @Test
    void dateAndTheFormatsBeforeMySql564() {
        assertThat(TemporalLiterals.date((2024 << 9) | (2 << 5) | 29)).isEqualTo("2024-02-29");
        assertThat(TemporalLiterals.date(0)).isEqualTo("0000-00-00");
        assertThat(TemporalLiterals.date((2020 << 9) | 15)).isEqualTo("2020-00-15");
        assertThat(TemporalLiterals.timeV1(-8385959)).isEqualTo("-838:59:59");
        assertThat(TemporalLiterals.timeV1(10203)).isEqualTo("01:02:03");
        assertThat(TemporalLiterals.datetimeV1(99991231235959L)).isEqualTo("9999-12-31 23:59:59");
        assertThat(TemporalLiterals.datetimeV1(0)).isEqualTo("0000-00-00 00:00:00");
    }

    @Test
    void padsToTheWidthAndKeepsWiderValues() {
        StringBuilder out = new StringBuilder();
        TemporalLiterals.appendPadded(out, 5, 4);
        out.append('|');
        TemporalLiterals.appendPadded(out, 838, 2);
        out.append('|');
        TemporalLiterals.appendPadded(out, 0, 2);
        assertThat(out).hasToString("0005|838|00");
    }
}
