package dev.ghost.internal.apply;

import dev.ghost.spi.ColumnSchema;
import dev.ghost.spi.RowsEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a run of row events into few statements. The binlog holds whole row images, so a row's last event alone
 * decides its final state: present with that image, or deleted. With an exactly comparable key, the batch collapses
 * to one DELETE of the deleted keys and one REPLACE of the rest. With a text key (collations make distinct values
 * equal) it keeps binlog order and merges only neighbouring operations of the same kind.
 */
final class ReplayBatch {

    enum Kind { DELETE, REPLACE }

    /** One statement's worth: the kind, and the full row images it writes or whose keys it deletes. */
    record Group(Kind kind, List<Object[]> rows) {
    }

    private record Operation(Kind kind, Object[] image) {
    }

    private final int[] keyIndexes;
    private final boolean ordered;
    private final boolean deleteBeforeReplace;
    private final List<Operation> operations = new ArrayList<>();
    private long rows;

    /**
     * @param ordered             apply in binlog order (text keys)
     * @param deleteBeforeReplace every update deletes the row's previous version by key first (the ghost's unique
     *                            key is wider than the replay's key)
     */
    ReplayBatch(List<ColumnSchema> keyColumns, boolean ordered, boolean deleteBeforeReplace) {
        this.keyIndexes = keyColumns.stream().mapToInt(ColumnSchema::index).toArray();
        this.ordered = ordered;
        this.deleteBeforeReplace = deleteBeforeReplace;
    }

    void add(RowsEvent event) {
        rows += event.rowCount();
        switch (event.kind()) {
            case INSERT -> event.after().forEach(row -> operations.add(new Operation(Kind.REPLACE, row)));
            case DELETE -> event.before().forEach(row -> operations.add(new Operation(Kind.DELETE, row)));
            case UPDATE -> {
                for (int i = 0; i < event.after().size(); i++) {
                    Object[] before = event.before().get(i);
                    Object[] after = event.after().get(i);
                    if (deleteBeforeReplace || !keyOf(before).equals(keyOf(after))) {
                        // The key moved: the row under the old key is gone.
                        operations.add(new Operation(Kind.DELETE, before));
                    }
                    operations.add(new Operation(Kind.REPLACE, after));
                }
            }
        }
    }

    /** Operations queued (an update that moves its key counts twice). */
    int size() {
        return operations.size();
    }

    /** Row changes added, as the binlog counts them. */
    long rows() {
        return rows;
    }

    boolean isEmpty() {
        return operations.isEmpty();
    }

    /** The statements to run, in order. */
    List<Group> groups() {
        return ordered ? orderedGroups() : collapsedGroups();
    }

    /** Deletes every key that saw a delete, then replaces every key whose last image is present. */
    private List<Group> collapsedGroups() {
        Map<Key, Operation> last = new LinkedHashMap<>();
        Map<Key, Object[]> deleted = new LinkedHashMap<>();
        for (Operation operation : operations) {
            Key key = keyOf(operation.image());
            last.put(key, operation);
            if (operation.kind() == Kind.DELETE) {
                deleted.putIfAbsent(key, operation.image());
            }
        }
        List<Object[]> replaces = new ArrayList<>();
        for (Operation operation : last.values()) {
            if (operation.kind() == Kind.REPLACE) {
                replaces.add(operation.image());
            }
        }
        List<Group> groups = new ArrayList<>(2);
        if (!deleted.isEmpty()) {
            groups.add(new Group(Kind.DELETE, new ArrayList<>(deleted.values())));
        }
        if (!replaces.isEmpty()) {
            groups.add(new Group(Kind.REPLACE, replaces));
        }
        return groups;
    }

    private List<Group> orderedGroups() {
        List<Group> groups = new ArrayList<>();
        for (Operation operation : operations) {
            Group current = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (current == null || current.kind() != operation.kind()) {
                current = new Group(operation.kind(), new ArrayList<>());
                groups.add(current);
            }
            current.rows().add(operation.image());
        }
        return groups;
    }

    private Key keyOf(Object[] image) {
        Object[] values = new Object[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            values[i] = image[keyIndexes[i]];
        }
        return new Key(values);
    }

    /** Key values compared by content (byte arrays included). */
    private record Key(Object[] values) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.deepEquals(values, key.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }
    }
}
