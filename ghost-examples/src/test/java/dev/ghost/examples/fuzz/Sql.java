package dev.ghost.examples.fuzz;

/** Literal and identifier quoting for the generated statements (the server runs without NO_BACKSLASH_ESCAPES). */
final class Sql {

    private Sql() {
    }

    static String string(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> quoted.append("''");
                case '\\' -> quoted.append("\\\\");
                case '\0' -> quoted.append("\\0");
                default -> quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
