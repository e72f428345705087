package dev.ghost.testkit.internal;

/** SQL text helpers shared by the kit's parts. */
public final class Sql {

    private Sql() {
    }

    /**
     * Backquotes an identifier, doubling backquotes inside it.
     *
     * @param identifier a table or column name
     * @return the quoted name
     */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** A string literal for SQL text: quotes and backslashes escaped (the lab's sessions keep backslash escapes). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
