package dev.ghost.internal.table;

import java.util.List;

/**
 * A unique index.
 *
 * @param name     index name ({@code PRIMARY} for the primary key)
 * @param columns  its columns in index order
 * @param nullable some column allows NULL (then the key does not identify rows)
 * @param prefix   some column is indexed by a prefix only (then it does not either)
 */
public record UniqueKey(String name, List<String> columns, boolean nullable, boolean prefix) {

    public UniqueKey {
        columns = List.copyOf(columns);
    }

    public boolean primary() {
        return "PRIMARY".equals(name);
    }

    public boolean sameColumnsAs(UniqueKey other) {
        if (columns.size() != other.columns.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).equalsIgnoreCase(other.columns.get(i))) {
                return false;
            }
        }
        return true;
    }
}
