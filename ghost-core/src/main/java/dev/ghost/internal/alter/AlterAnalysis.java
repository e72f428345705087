package dev.ghost.internal.alter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an ALTER does that matters to an online migration: whether it renames the table (refused), which columns
 * it renames (their values must be carried over under the new name), and which it drops (a column dropped and added
 * again is a new column: its old values must not be copied).
 *
 * @param clauses        the ALTER clauses without a leading {@code ALTER TABLE name}
 * @param renamesTable   a {@code RENAME [TO|AS] name} clause is present
 * @param renamedColumns old name to new name, in ALTER order
 * @param droppedColumns lower-case names of dropped columns
 * @param setsAutoIncrement the table option {@code AUTO_INCREMENT [=] n} is present (the new table then does not
 *                       take the original's counter)
 */
public record AlterAnalysis(String clauses, boolean renamesTable, Map<String, String> renamedColumns,
                            Set<String> droppedColumns, boolean setsAutoIncrement) {

    public AlterAnalysis {
        renamedColumns = Collections.unmodifiableMap(new LinkedHashMap<>(renamedColumns));
        droppedColumns = Set.copyOf(droppedColumns);
    }

    /** Analyses ALTER text; a leading {@code ALTER TABLE name} and trailing semicolons are allowed. */
    public static AlterAnalysis of(String alter) {
        List<Token> tokens = new ArrayList<>(AlterTokenizer.tokenize(alter));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(";")) {
            tokens.remove(tokens.size() - 1);
        }
        String clauses = stripAlterTable(alter, tokens);
        boolean renamesTable = false;
        Map<String, String> renamed = new LinkedHashMap<>();
        Set<String> dropped = new LinkedHashSet<>();
        boolean setsAutoIncrement = false;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            // The table option has a value; the column attribute of the same name does not.
            Token next = tokens.get(i + 1);
            if (tokens.get(i).is("AUTO_INCREMENT") && (next.isSymbol("=") || next.kind() == Token.Kind.NUMBER)) {
                setsAutoIncrement = true;
            }
        }
        for (List<Token> clause : splitClauses(tokens)) {
            if (clause.isEmpty()) {
                continue;
            }
            Token first = clause.get(0);
            if (first.is("RENAME")) {
                Token second = at(clause, 1);
                if (second != null && second.is("COLUMN")) {
                    Token from = at(clause, 2);
                    Token to = at(clause, 4);
                    if (from != null && to != null && !from.text().equalsIgnoreCase(to.text())) {
                        renamed.put(from.text(), to.text());
                    }
                } else if (second == null || !(second.is("INDEX") || second.is("KEY"))) {
                    renamesTable = true;
                }
            } else if (first.is("CHANGE")) {
                int index = at(clause, 1) != null && at(clause, 1).is("COLUMN") ? 2 : 1;
                if (at(clause, index) != null && at(clause, index).is("IF")) {
                    index += 2; // MariaDB's CHANGE [COLUMN] IF EXISTS
                }
                Token from = at(clause, index);
                Token to = at(clause, index + 1);
                if (from != null && to != null && from.isName() && to.isName()
                        && !from.text().equalsIgnoreCase(to.text())) {
                    renamed.put(from.text(), to.text());
                }
            } else if (first.is("DROP")) {
                droppedColumn(clause).ifPresent(name -> dropped.add(name.toLowerCase(Locale.ROOT)));
            }
        }
        return new AlterAnalysis(clauses, renamesTable, renamed, dropped, setsAutoIncrement);
    }

    private static Optional<String> droppedColumn(List<Token> clause) {
        int index = 1;
        Token next = at(clause, index);
        if (next == null) {
            return Optional.empty();
        }
        if (next.is("COLUMN")) {
            index++;
        } else if (next.kind() == Token.Kind.WORD && Set.of("PRIMARY", "INDEX", "KEY", "FOREIGN", "CONSTRAINT",
                "CHECK", "PARTITION", "UNIQUE", "FULLTEXT", "SPATIAL", "SYSTEM").contains(next.upper())) {
            return Optional.empty();
        }
        if (at(clause, index) != null && at(clause, index).is("IF")) {
            index += 2; // IF EXISTS
        }
        Token name = at(clause, index);
        return name != null && name.isName() ? Optional.of(name.text()) : Optional.empty();
    }

    /** Clauses are separated by commas outside parentheses. */
    private static List<List<Token>> splitClauses(List<Token> tokens) {
        List<List<Token>> clauses = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token token : tokens) {
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (token.isSymbol(",") && depth == 0) {
                clauses.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(token);
        }
        clauses.add(current);
        return clauses;
    }

    /** Removes {@code ALTER TABLE [schema.]name} from the tokens, and returns the remaining text. */
    private static String stripAlterTable(String alter, List<Token> tokens) {
        String text = alter.trim();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).trim();
        }
        if (tokens.size() < 3 || !tokens.get(0).is("ALTER") || !tokens.get(1).is("TABLE")) {
            return text;
        }
        int nameTokens = tokens.size() > 4 && tokens.get(3).isSymbol(".") ? 3 : 1;
        tokens.subList(0, 2 + nameTokens).clear();
        // Drop the same prefix from the text: everything up to the end of the table name.
        int position = 0;
        for (int skipped = 0; skipped < 2 + nameTokens; skipped++) {
            position = skipToken(text, position);
        }
        return text.substring(position).trim();
    }

    private static int skipToken(String text, int from) {
        int at = from;
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '`') {
            at++;
            while (at < text.length()) {
                if (text.charAt(at) == '`' && (at + 1 >= text.length() || text.charAt(at + 1) != '`')) {
                    return at + 1;
                }
                at += text.charAt(at) == '`' ? 2 : 1;
            }
            return at;
        }
        if (at < text.length() && text.charAt(at) == '.') {
            return at + 1;
        }
        while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != '.'
                && text.charAt(at) != '`') {
            at++;
        }
        return at;
    }

    private static Token at(List<Token> clause, int index) {
        return index < clause.size() ? clause.get(index) : null;
    }
}
