package dev.ghost.internal.apply;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;

import java.util.List;

/**
 * Reduces a row event of the original table to the keys it touches and what became of each: the replay reads a
 * key's current row from the original when it applies it, so that is all it needs to keep (no row images). Runs on
 * the event source's thread.
 */
final class KeyReduction {

    /** What the replay does with a key. */
    enum Op {
        /** The row under this key is gone: deleted, or an update moved its key away. */
        DELETE,
        /** The row under this key exists (inserted or updated): copy it again from the original. */
        UPSERT
    }

    /**
     * Receives each touched key in binlog order; {@code rows} is the row changes it stands for (0 or 1), {@code image}
     * the row as the change left it (null for a delete), which the receiver may keep or drop.
     */
    @FunctionalInterface
    interface Sink {
        void change(ReplayKey key, Op op, int rows, Object[] image) throws InterruptedException;
    }

    private final int[] keyIndexes;

    KeyReduction(List<ColumnSchema> keyColumns) {
        this.keyIndexes = keyColumns.stream().mapToInt(ColumnSchema::index).toArray();
    }

    /**
     * Hands the keys of every row of the event to {@code sink}, in the event's order. An update that keeps its key
     * is an upsert of that key; one that moves it is a delete of the old key, then an upsert of the new one (the
     * row change counted once, on the new key).
     */
    void reduce(RowsEvent event, Sink sink) throws InterruptedException {
        switch (event.kind()) {
            case INSERT -> {
                for (Object[] row : event.after()) {
                    sink.change(ReplayKey.of(row, keyIndexes), Op.UPSERT, 1, row);
                }
            }
            case DELETE -> {
                for (Object[] row : event.before()) {
                    sink.change(ReplayKey.of(row, keyIndexes), Op.DELETE, 1, null);
                }
            }
            case UPDATE -> {
                for (int i = 0; i < event.after().size(); i++) {
                    ReplayKey before = ReplayKey.of(event.before().get(i), keyIndexes);
                    ReplayKey after = ReplayKey.of(event.after().get(i), keyIndexes);
                    if (!before.equals(after)) {
                        sink.change(before, Op.DELETE, 0, null);
                    }
                    sink.change(after, Op.UPSERT, 1, event.after().get(i));
                }
            }
        }
    }
}
