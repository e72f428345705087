package dev.ghost.examples.fuzz;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A generated table: its columns, its unique key (a primary key, or a UNIQUE KEY on NOT NULL columns) and its
 * secondary indexes, each index a list of column names (TEXT/BLOB ones indexed by a prefix).
 */
record FuzzTable(String name, List<FuzzColumn> columns, List<String> keyColumns, boolean primaryKey,
                 List<List<String>> secondaryIndexes, String defaultCharset) {

    FuzzTable {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        secondaryIndexes = List.copyOf(secondaryIndexes);
    }

    String createStatement() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(Sql.quote(name)).append(" (\n");
        for (FuzzColumn column : columns) {
            sql.append("  ").append(column.definition()).append(",\n");
        }
        sql.append(primaryKey ? "  PRIMARY KEY (" : "  UNIQUE KEY uk (").append(keyList()).append(")");
        for (int i = 0; i < secondaryIndexes.size(); i++) {
            sql.append(",\n  KEY ix").append(i).append(" (").append(indexList(secondaryIndexes.get(i))).append(")");
        }
        return sql.append("\n) ENGINE=InnoDB DEFAULT CHARSET=").append(defaultCharset).toString();
    }

    String keyList() {
        return keyColumns.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** An index's column list, with a prefix length where the type needs one. */
    String indexList(List<String> names) {
        return names.stream().map(n -> Sql.quote(n) + (needsPrefix(column(n).orElseThrow()) ? "(10)" : ""))
                .collect(Collectors.joining(", "));
    }

    static boolean needsPrefix(FuzzColumn column) {
        ColumnType.Kind kind = column.type().kind();
        return kind == ColumnType.Kind.TEXT || kind == ColumnType.Kind.BLOB;
    }

    Optional<FuzzColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    boolean isKey(String columnName) {
        return keyColumns.contains(columnName);
    }

    List<FuzzColumn> keyColumnList() {
        return keyColumns.stream().map(n -> column(n).orElseThrow()).toList();
    }

    List<FuzzColumn> nonKeyColumns() {
        return columns.stream().filter(c -> !isKey(c.name())).toList();
    }
}
