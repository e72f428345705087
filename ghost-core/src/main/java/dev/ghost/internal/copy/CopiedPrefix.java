package dev.ghost.internal.copy;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * How far the copy has got without a gap: chunks are planned in key order but, with several threads, finish in any
 * order. A checkpoint may only say "copied through key K" when every chunk up to K is in, so this tracks the chunks
 * by the order they were planned in and reports the end of the longest unbroken run of finished ones. Thread-safe.
 */
final class CopiedPrefix {

    private final Consumer<List<Object>> report;
    /** Planned chunks not yet part of the reported prefix: sequence -> end key; null value once copied. */
    private final TreeMap<Long, Object[]> pending = new TreeMap<>();
    private final TreeMap<Long, Object[]> finished = new TreeMap<>();
    private long nextSequence;
    private long nextToReport;

    CopiedPrefix(Consumer<List<Object>> report) {
        this.report = report;
    }

    /** Plans a chunk that ends (inclusively) at {@code end}; returns its sequence number. */
    synchronized long planned(Object[] end) {
        long sequence = nextSequence++;
        pending.put(sequence, end.clone());
        return sequence;
    }

    /** A planned chunk is copied and committed; reports the new end of the unbroken prefix when it moved. */
    void copied(long sequence) {
        Object[] through = null;
        synchronized (this) {
            Object[] end = pending.remove(sequence);
            if (end == null) {
                throw new IllegalStateException("chunk " + sequence + " was not planned, or reported twice");
            }
            finished.put(sequence, end);
            while (!finished.isEmpty() && finished.firstKey() == nextToReport) {
                through = finished.pollFirstEntry().getValue();
                nextToReport++;
            }
        }
        if (through != null) {
            report.accept(Arrays.asList(through));
        }
    }
}
