package dev.ghost.liquibase;

import dev.ghost.internal.alter.AlterAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code alter} of {@code alterTableOnline}: the body of one ALTER TABLE of the named table, nothing else.
 * A leading {@code ALTER TABLE name} is allowed when it names that table; a second statement, another statement
 * kind, another table or a rename of the table are refused, each with what to do instead.
 */
final class AlterBody {

    /** Words that start a statement, never an ALTER TABLE clause. */
    private static final Set<String> STATEMENTS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE",
            "CREATE", "TRUNCATE", "GRANT", "REVOKE", "SET", "CALL", "USE", "WITH", "LOCK", "UNLOCK", "START", "BEGIN",
            "COMMIT", "ROLLBACK", "LOAD", "HANDLER", "DO", "FLUSH", "KILL", "OPTIMIZE", "ANALYZE", "REPAIR");
    /** What may follow DROP in a statement but not in an ALTER TABLE clause. */
    private static final Set<String> DROPPED_OBJECTS = Set.of("TABLE", "DATABASE", "SCHEMA", "VIEW", "TRIGGER",
            "PROCEDURE", "FUNCTION", "EVENT", "USER", "TEMPORARY", "SEQUENCE", "SERVER", "ROLE");

    private AlterBody() {
    }

    /**
     * The body to hand to ghost.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    static String of(String tableName, String alter) {
        String where = "alterTableOnline on table " + tableName;
        if (alter == null || alter.isBlank()) {
            throw new IllegalArgumentException(where + " needs alter, the ALTER TABLE body, e.g. alter=\"ADD COLUMN "
                    + "note VARCHAR(64)\"");
        }
        List<String> words = leadingWords(alter, where);
        String body = alter.strip();
        if (words.size() >= 2 && upper(words, 0).equals("ALTER") && upper(words, 1).equals("TABLE")) {
            String named = words.size() > 2 ? words.get(2) : "";
            if (!OnlineChanges.namesTable(named, tableName)) {
                throw new IllegalArgumentException(where + " has an ALTER of another table (" + named + "): a change "
                        + "migrates the table of its tableName; write only the body, e.g. alter=\"ADD COLUMN note "
                        + "VARCHAR(64)\"");
            }
            body = AlterAnalysis.of(alter).clauses().strip();
            words = leadingWords(body, where);
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(where + " has an empty ALTER body");
        }
        String first = upper(words, 0);
        if (STATEMENTS.contains(first) || first.equals("ALTER")
                || (first.equals("DROP") && DROPPED_OBJECTS.contains(upper(words, 1)))
                || (first.equals("RENAME") && upper(words, 1).equals("TABLE"))) {
            throw new IllegalArgumentException(where + " must be the body of one ALTER TABLE of that table, but "
                    + "starts a statement of its own (" + String.join(" ", words.subList(0, Math.min(2, words.size())))
                    + "): use Liquibase's sql change for other statements");
        }
        if (AlterAnalysis.of(body).renamesTable()) {
            throw new IllegalArgumentException(where + " renames the table, which ghost refuses (the cut-over is a "
                    + "rename itself): use Liquibase's renameTable");
        }
        return body.replaceAll("[;\\s]+$", "");
    }

    /**
     * The first three words of the text, as written, and a check that it is one
     * statement: a semicolon outside quotes and comments that is followed by anything but white space is refused.
     */
    private static List<String> leadingWords(String text, String where) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(text, i, c, where);
                if (words.size() < 3 && c == '`') {
                    word.append(text, i, end + 1);
                }
                i = end + 1;
                continue;
            }
            if (c == '#' || (c == '-' && text.startsWith("-- ", i))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
                continue;
            }
            if (c == '/' && text.startsWith("/*", i) && !text.startsWith("/*!", i) && !text.startsWith("/*M!", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
                continue;
            }
            if (c == ';') {
                if (!text.substring(i + 1).replace(";", "").isBlank()) {
                    throw new IllegalArgumentException(where + " holds more than one statement (a ';' is followed "
                            + "by more text): a change runs one ALTER TABLE body; use one change per statement");
                }
                i++;
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c > 0x7f) {
                word.append(c);
            } else if (word.length() > 0) {
                add(words, word);
            }
            i++;
        }
        add(words, word);
        return words;
    }

    private static String upper(List<String> words, int index) {
        return index < words.size() ? words.get(index).toUpperCase(Locale.ROOT) : "";
    }

    private static void add(List<String> words, StringBuilder word) {
        if (word.length() > 0 && words.size() < 3) {
            String text = word.toString();
            words.add(text);
        }
        word.setLength(0);
    }

    private static int closing(String text, int open, char quote, String where) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException(where + " has an unterminated " + quote + "-quoted text");
    }
}
