package dev.ghost.spi;

import java.util.Objects;

/** A schema-qualified table name, unquoted. {@link #quoted()} gives the SQL form. */
public record TableName(String schema, String name) {

    /**
     * Both parts are required.
     *
     * @param schema the schema (database), unquoted
     * @param name the table's name, unquoted
     */
    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Backquoted {@code `schema`.`name`}, safe for any identifier.
     *
     * @return the name for SQL text
     */
    public String quoted() {
        return quote(schema) + "." + quote(name);
    }

    /**
     * A sibling table in the same schema.
     *
     * @param otherName the other table's name, unquoted
     * @return that table in this one's schema
     */
    public TableName sibling(String otherName) {
        return new TableName(schema, otherName);
    }

    /**
     * Backquotes one identifier, doubling embedded backquotes.
     *
     * @param identifier a schema, table or column name, unquoted
     * @return the identifier in backquotes
     */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
