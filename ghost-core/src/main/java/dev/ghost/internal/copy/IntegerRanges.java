package dev.ghost.internal.copy;

import java.math.BigInteger;

/**
 * Chunks of a single-column integer key computed by arithmetic, without asking the server where a chunk ends
 * (Spirit's optimistic chunker): from {@code first} to {@code last}, each range {@code [start, end]} spans as many key
 * values as the wanted rows need at the density seen so far. Where the key has gaps a range copies fewer rows, and
 * the density, a moving ratio of rows found to key values spanned, widens the next ones; but never beyond twice the
 * wanted rows, so that a dense stretch after a sparse one cannot make a chunk much larger than asked. When the
 * density falls low (a very sparse key, or one whose rows were deleted meanwhile), ranges would mostly copy nothing:
 * {@link #tooSparse()} says so, and the copy walks the rest of the key instead. Exact integers throughout, so
 * negative keys and BIGINT UNSIGNED values near 2^64 are handled alike. Thread-safe: the walker plans ranges, the
 * copying threads report what they found.
 */
final class IntegerRanges {

    /** The density assumed at most: a range spans at most twice the wanted rows. */
    static final double MIN_ASSUMED_DENSITY = 0.5;
    /** Below this density arithmetic ranges are mostly empty: walk the key instead. */
    static final double SPARSE_DENSITY = 0.2;
    /** Key values that must have been spanned before the density can say "too sparse". */
    private static final long EVIDENCE_SPAN = 10_000;
    /** How much of the past density survives each report. */
    private static final double KEEP = 0.7;

    /** An inclusive range of the key. */
    record Range(BigInteger start, BigInteger end, boolean last) {
    }

    private final BigInteger last;
    private BigInteger next;
    private double rowsSeen;
    private double spanSeen;
    private long spanTotal;

    IntegerRanges(BigInteger first, BigInteger last) {
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("first key " + first + " is after the last " + last);
        }
        this.next = first;
        this.last = last;
    }

    /** Where the next range starts. */
    synchronized BigInteger next() {
        return next;
    }

    /** The next range for about {@code rows} rows; the last one ends at the last key. Call it until it is last. */
    synchronized Range nextRange(int rows) {
        if (next == null) {
            throw new IllegalStateException("the ranges already reached the last key " + last);
        }
        BigInteger start = next;
        BigInteger end = start.add(BigInteger.valueOf(span(rows) - 1));
        if (end.compareTo(last) >= 0) {
            next = null;
            return new Range(start, last, true);
        }
        next = end.add(BigInteger.ONE);
        return new Range(start, end, false);
    }

    /** Key values a range of {@code rows} rows spans at the density seen so far. */
    synchronized long span(int rows) {
        double density = Math.max(MIN_ASSUMED_DENSITY, Math.min(1.0, density()));
        return Math.max(1, Math.round(rows / density));
    }

    /** Reports what a copied range held. */
    synchronized void rangeCopied(Range range, long rows) {
        long spanned = range.end().subtract(range.start()).add(BigInteger.ONE).min(BigInteger.valueOf(1L << 40))
                .longValueExact();
        rowsSeen = rowsSeen * KEEP + rows;
        spanSeen = spanSeen * KEEP + spanned;
        spanTotal += spanned;
    }

    /** Rows per key value in the recent ranges; 1 before any report. */
    synchronized double density() {
        return spanSeen == 0 ? 1.0 : rowsSeen / spanSeen;
    }

    /** Whether enough ranges came back so sparse that walking the key is better. */
    synchronized boolean tooSparse() {
        return spanTotal >= EVIDENCE_SPAN && density() < SPARSE_DENSITY;
    }
}
