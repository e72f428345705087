package dev.ghost.internal.copy;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IntegerRangesTest {

    private static BigInteger n(long value) {
        return BigInteger.valueOf(value);
    }

    private static List<IntegerRanges.Range> all(IntegerRanges ranges, int rows) {
        List<IntegerRanges.Range> out = new ArrayList<>();
        while (true) {
            IntegerRanges.Range range = ranges.nextRange(rows);
            out.add(range);
            if (range.last()) {
                return out;
            }
        }
    }

    /** Consecutive, without gap or overlap, from first to last. */
    private static void assertCovers(List<IntegerRanges.Range> ranges, BigInteger first, BigInteger last) {
        assertThat(ranges.get(0).start()).isEqualTo(first);
        assertThat(ranges.get(ranges.size() - 1).end()).isEqualTo(last);
        assertThat(ranges.get(ranges.size() - 1).last()).isTrue();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).start()).isEqualTo(ranges.get(i - 1).end().add(BigInteger.ONE));
            assertThat(ranges.get(i - 1).last()).isFalse();
        }
        ranges.forEach(r -> assertThat(r.start()).isLessThanOrEqualTo(r.end()));
    }

    @Test
    void cutsADenseKeyIntoRangesOfTheWantedRows() {
        List<IntegerRanges.Range> ranges = all(new IntegerRanges(n(1), n(1000)), 100);
        assertThat(ranges).hasSize(10);
        assertThat(ranges.get(0)).isEqualTo(new IntegerRanges.Range(n(1), n(100), false));
        assertCovers(ranges, n(1), n(1000));
    }

    @Test
    void aSingleKeyIsOneRange() {
        assertThat(all(new IntegerRanges(n(7), n(7)), 1000))
                .containsExactly(new IntegerRanges.Range(n(7), n(7), true));
    }

    @Test
    void negativeKeysAndTheEdgesOfBigintUnsigned() {
        assertCovers(all(new IntegerRanges(n(-2_500), n(2_500)), 1000), n(-2_500), n(2_500));
        BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        BigInteger first = max.subtract(n(2_345));
        List<IntegerRanges.Range> ranges = all(new IntegerRanges(first, max), 1000);
        assertCovers(ranges, first, max);
        assertThat(ranges).hasSize(3);
        // and a span wider than a long
        IntegerRanges wide = new IntegerRanges(BigInteger.ZERO, max);
        assertThat(wide.nextRange(100_000)).isEqualTo(new IntegerRanges.Range(BigInteger.ZERO, n(99_999), false));
        assertThat(wide.next()).isEqualTo(n(100_000));
    }

    @Test
    void gapsWidenTheRangesUpToTwiceTheWantedRows() {
        IntegerRanges ranges = new IntegerRanges(n(1), n(1_000_000));
        IntegerRanges.Range first = ranges.nextRange(1000);
        ranges.rangeCopied(first, 700); // 30% of the keys are gaps
        assertThat(ranges.density()).isEqualTo(0.7);
        assertThat(ranges.span(1000)).isEqualTo(1429);
        for (int i = 0; i < 20; i++) {
            ranges.rangeCopied(ranges.nextRange(1000), 100);
        }
        assertThat(ranges.span(1000)).isEqualTo(2000);
        assertThat(ranges.tooSparse()).isTrue();
    }

    @Test
    void aFewEmptyRangesAreNoEvidenceOfSparseness() {
        IntegerRanges ranges = new IntegerRanges(n(1), n(1_000_000));
        for (int i = 0; i < 5; i++) {
            ranges.rangeCopied(ranges.nextRange(1000), 0); // a deleted stretch of 5000 keys
        }
        assertThat(ranges.tooSparse()).isFalse();
        for (int i = 0; i < 20; i++) {
            IntegerRanges.Range range = ranges.nextRange(1000);
            ranges.rangeCopied(range, range.end().subtract(range.start()).longValueExact() + 1);
        }
        assertThat(ranges.density()).isGreaterThan(0.95);
        assertThat(ranges.span(1000)).isBetween(1000L, 1010L);
    }

    @Test
    void theDensitySeesTheRecentRangesMost() {
        IntegerRanges ranges = new IntegerRanges(n(1), n(10_000_000));
        for (int i = 0; i < 30; i++) {
            ranges.rangeCopied(ranges.nextRange(1000), 0);
        }
        assertThat(ranges.tooSparse()).isTrue();
        for (int i = 0; i < 30; i++) {
            IntegerRanges.Range range = ranges.nextRange(1000);
            ranges.rangeCopied(range, range.end().subtract(range.start()).longValueExact() + 1);
        }
        assertThat(ranges.tooSparse()).isFalse();
    }
}
