package dev.ghost.internal.verify;

import dev.ghost.internal.verify.TableChecksum.ComputedBoundaries;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComputedBoundariesTest {

    private static BigDecimal n(String value) {
        return new BigDecimal(value);
    }

    private static List<BigDecimal> ends(ComputedBoundaries boundaries) {
        List<BigDecimal> ends = new ArrayList<>();
        Object[] from = null;
        while (true) {
            Object[] to = boundaries.after(from);
            if (to == null) {
                return ends;
            }
            ends.add((BigDecimal) to[0]);
            from = to;
        }
    }

    @Test
    void aDenseKeyIsCutEveryRowsPerRangeKeyValuesAndTheLastRangeIsOpen() {
        ComputedBoundaries boundaries = ComputedBoundaries.plan(n("1"), n("1000000"), 1_000_000, 10_000);
        List<BigDecimal> ends = ends(boundaries);
        assertThat(ends).hasSize(99);
        assertThat(ends.get(0)).isEqualByComparingTo("10000");
        assertThat(ends.get(98)).isEqualByComparingTo("990000");
    }

    @Test
    void gapsWidenTheRanges() {
        ComputedBoundaries boundaries = ComputedBoundaries.plan(n("-50000"), n("49999"), 80_000, 10_000);
        assertThat(boundaries.width()).isEqualByComparingTo("12500");
        assertThat(ends(boundaries).get(0)).isEqualByComparingTo("-37501");
    }

    @Test
    void aSparseKeyOrNoEstimateIsWalked() {
        assertThat(ComputedBoundaries.plan(n("1"), n("1000000"), 400_000, 10_000)).isNull();
        assertThat(ComputedBoundaries.plan(n("1"), n("1000000"), 0, 10_000)).isNull();
        assertThat(ComputedBoundaries.plan(n("0"), n("18446744073709551615"), 1_000_000, 10_000)).isNull();
    }

    @Test
    void fractionalKeysGetFractionalWidths() {
        // DECIMAL(8,2) prices from 0.01 to 100.00, 10000 rows: about 100 rows per unit
        ComputedBoundaries boundaries = ComputedBoundaries.plan(n("0.01"), n("100.00"), 10_000, 1000);
        assertThat(boundaries.width()).isEqualByComparingTo("10.099"); // the span counts one more key value, as for integers
        assertThat(ends(boundaries)).hasSize(9); // ten ranges, the last one open
    }

    @Test
    void aSingleKeyIsOneOpenRange() {
        assertThat(ends(ComputedBoundaries.plan(n("7"), n("7"), 1, 10_000))).isEmpty();
    }
}
