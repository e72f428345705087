package dev.ghost.spi;

import java.util.Objects;

/** A schema-qualified table name, unquoted. {@link #quoted()} gives the SQL form. */
public record TableName(String schema, String name) {

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** Backquoted {@code `schema`.`name`}, safe for any identifier. */
    public String quoted() {
        return quote(schema) + "." + quote(name);
    }

    /** A sibling table in the same schema. */
    public TableName sibling(String otherName) {
        return new TableName(schema, otherName);
    }

    /** Backquotes one identifier, doubling embedded backquotes. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
