package dev.ghost.flyway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code ALTER TABLE} statement of an online-ALTER script: its table and its clauses. Comments
 * ({@code -- }, {@code #}, {@code /* *}{@code /}) are dropped and statements split at semicolons outside quotes; a
 * script must hold exactly one statement, an {@code ALTER TABLE} of an unqualified table. One statement because MySQL
 * and MariaDB commit each DDL statement at once: a second ALTER that failed would leave the first applied under a
 * migration that Flyway records as failed, and running it again after a repair would fail on the first.
 */
record AlterScript(String table, String clauses) {

    private static final Pattern ALTER_TABLE = Pattern.compile(
            "ALTER\\s+TABLE\\s+(`(?:[^`]|``)+`|[\\p{L}\\p{N}_$]+)(.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * Parses {@code script}; {@code name} (the file's) is for messages.
     *
     * @throws IllegalArgumentException naming the file, what was found and what a script must hold
     */
    static AlterScript parse(String script, String name) {
        List<String> statements = statements(withoutComments(script, name));
        if (statements.size() != 1) {
            throw new IllegalArgumentException(name + " holds " + statements.size() + " statements; an online-ALTER "
                    + "migration holds exactly one ALTER TABLE statement (put each ALTER in a migration of its own)");
        }
        String statement = statements.get(0);
        Matcher matcher = ALTER_TABLE.matcher(statement);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(name + " holds `" + abbreviated(statement) + "`; an online-ALTER "
                    + "migration holds one ALTER TABLE statement of a table in Flyway's schema, e.g. "
                    + "ALTER TABLE orders ADD COLUMN note VARCHAR(64)");
        }
        String table = matcher.group(1);
        if (table.startsWith("`")) {
            table = table.substring(1, table.length() - 1).replace("``", "`");
        }
        String rest = matcher.group(2);
        if (rest.strip().startsWith(".")) {
            throw new IllegalArgumentException(name + ": name the table without its database (`" + abbreviated(
                    statement) + "`): ghost alters it in the schema Flyway migrates");
        }
        if (rest.isBlank() || (!Character.isWhitespace(rest.charAt(0)) && !matcher.group(1).startsWith("`"))) {
            throw new IllegalArgumentException(name + " holds `" + abbreviated(statement) + "`, an ALTER TABLE "
                    + "without clauses; e.g. ALTER TABLE orders ADD COLUMN note VARCHAR(64)");
        }
        return new AlterScript(table, rest.strip());
    }

    /** The script without comments; quoted text is kept as it is. */
    private static String withoutComments(String script, String name) {
        StringBuilder kept = new StringBuilder(script.length());
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = endOfQuoted(script, i, name);
                kept.append(script, i, end);
                i = end;
            } else if (c == '#' || (c == '-' && script.startsWith("--", i)
                    && (i + 2 >= script.length() || Character.isWhitespace(script.charAt(i + 2))))) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end;
            } else if (c == '/' && script.startsWith("/*", i)) {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException(name + ": a /* comment is not closed");
                }
                kept.append(' ');
                i = end + 2;
            } else {
                kept.append(c);
                i++;
            }
        }
        return kept.toString();
    }

    /** The statements, split at semicolons outside quotes, blank ones dropped. */
    private static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = endOfQuoted(script, i, "the script");
            } else {
                if (c == ';') {
                    statements.add(script.substring(start, i));
                    start = i + 1;
                }
                i++;
            }
        }
        statements.add(script.substring(start));
        return statements.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The index after the quote that closes the one at {@code open}; a doubled quote or a backslash escapes. */
    private static int endOfQuoted(String script, int open, String name) {
        char quote = script.charAt(open);
        int i = open + 1;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException(name + ": a " + quote + " quote is not closed");
    }

    private static String abbreviated(String statement) {
        String oneLine = statement.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
