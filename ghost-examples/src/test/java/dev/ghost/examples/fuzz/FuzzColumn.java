package dev.ghost.examples.fuzz;

/**
 * A column of a generated table.
 *
 * @param comment null for none
 */
record FuzzColumn(String name, ColumnType type, boolean nullable, String comment) {

    /** The column definition as CREATE TABLE and MODIFY spell it (name, type, nullability, default, comment). */
    String definition() {
        return Sql.quote(name) + " " + type.sql() + tail(comment);
    }

    /** The same column with another type: nullability and comment stay. */
    FuzzColumn withType(ColumnType newType) {
        return new FuzzColumn(name, newType, nullable, comment);
    }

    FuzzColumn withComment(String newComment) {
        return new FuzzColumn(name, type, nullable, newComment);
    }

    private String tail(String columnComment) {
        StringBuilder tail = new StringBuilder(nullable ? " NULL" : " NOT NULL");
        // A TIMESTAMP NOT NULL without an explicit default would get CURRENT_TIMESTAMP where
        // explicit_defaults_for_timestamp is off; a constant default keeps every server alike.
        if (type.kind() == ColumnType.Kind.TIMESTAMP && !nullable) {
            tail.append(" DEFAULT '2001-01-01 00:00:00'");
        }
        if (columnComment != null) {
            tail.append(" COMMENT ").append(Sql.string(columnComment));
        }
        return tail.toString();
    }
}
