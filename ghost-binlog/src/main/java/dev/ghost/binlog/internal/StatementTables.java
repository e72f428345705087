package dev.ghost.binlog.internal;

import dev.ghost.binlog.internal.SqlTokens.Kind;
import dev.ghost.binlog.internal.SqlTokens.Mode;
import dev.ghost.binlog.internal.SqlTokens.Token;
import dev.ghost.spi.TableName;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/*
 * Finds which watched tables a logged statement names. It does not parse SQL: every name in the text, bare or
 * qualified, counts as a possible table reference, so a column or alias that happens to share a watched table's name
 * is reported too. That errs on the side that stops a migration (a false alarm fails closed; a missed statement would
 * lose data). The exceptions are the names that the grammar makes something other than a table: the name right
 * after EVENT, PROCEDURE, INDEX, COLUMN and the like (gh-ost's own tests name an event after its table, and
 * ALTER EVENT it while a migration runs). Strings and comments are not names; executable comments are code.
 * DROP DATABASE of a watched schema names every watched table in it.
 */
final class StatementTables {

    /**
     * Keywords whose next name is never a table: it names an object of another kind that may share a table's name.
     * SEQUENCE and VIEW are missing on purpose: they share the tables' namespace.
     */
    private static final Set<String> OTHER_OBJECT_KEYWORDS = caseInsensitive("COLUMN", "CONSTRAINT", "EVENT",
            "FUNCTION", "INDEX", "KEY", "PACKAGE", "PARTITION", "PROCEDURE", "ROLE", "SAVEPOINT", "SERVER",
            "TABLESPACE", "TRIGGER", "USER");

    /** A watched table, with its names as the binlog client decodes them from a query event's bytes. */
    private record Watched(TableName table, String schema, String name) {
    }

    private final List<Watched> watched;

    StatementTables(List<TableName> tables) {
        this.watched = tables.stream().map(table -> new Watched(table, WatchedTables.asClientDecodes(table.schema()),
                WatchedTables.asClientDecodes(table.name()))).toList();
    }

    /**
     * The watched tables {@code sql} names, in the order it first names them; empty when it names none.
     *
     * @param database the session's default database, for unqualified names; null or empty when it had none (an
     *                 unqualified name then matches a watched table of that name in any schema)
     */
    List<TableName> named(String database, String sql) {
        if (sql == null || isTransactionControl(sql)) {
            return List.of();
        }
        Set<TableName> found = new LinkedHashSet<>();
        // The session's sql_mode is unknown: read the text every way the server could have.
        for (Mode mode : Mode.ALL) {
            collect(SqlTokens.tokenize(sql, mode), database, found);
            if (found.size() == watched.size()) {
                break;
            }
        }
        return List.copyOf(found);
    }

    /** The statements of every transaction on servers that log BEGIN; they name no table, no need to read them. */
    private static boolean isTransactionControl(String sql) {
        String trimmed = sql.strip();
        return trimmed.equalsIgnoreCase("BEGIN") || trimmed.equalsIgnoreCase("COMMIT")
                || trimmed.equalsIgnoreCase("ROLLBACK");
    }

    private void collect(List<Token> tokens, String database, Set<TableName> found) {
        collectDroppedSchema(tokens, found);
        boolean otherObjectNext = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!token.isName()) {
                otherObjectNext = false;
                continue;
            }
            if (i > 0 && tokens.get(i - 1).kind() == Kind.DOT) {
                continue; // the middle of a chain already looked at
            }
            if (otherObjectNext && !isWord(token, "IF") && !isWord(token, "NOT") && !isWord(token, "EXISTS")) {
                otherObjectNext = false;
                i = skipChain(tokens, i);
                continue; // EVENT gh_ost_test: an event's name, not a table's
            }
            if (token.kind() == Kind.WORD && OTHER_OBJECT_KEYWORDS.contains(token.text())) {
                otherObjectNext = true;
            }
            List<String> chain = new ArrayList<>();
            chain.add(tokens.get(i).text());
            int next = i + 1;
            while (next + 1 < tokens.size() && tokens.get(next).kind() == Kind.DOT && tokens.get(next + 1).isName()) {
                chain.add(tokens.get(next + 1).text());
                next += 2;
            }
            // a: a table of the default database. a.b: table b of database a, or column b of table a.
            // a.b.c: column c of table b of database a.
            matchUnqualified(chain.get(0), database, found);
            if (chain.size() >= 2) {
                matchQualified(chain.get(0), chain.get(1), found);
            }
        }
    }

    /** The index of the last token of the name chain that starts at {@code start}. */
    private static int skipChain(List<Token> tokens, int start) {
        int at = start;
        while (at + 2 < tokens.size() && tokens.get(at + 1).kind() == Kind.DOT && tokens.get(at + 2).isName()) {
            at += 2;
        }
        return at;
    }

    /** DROP DATABASE|SCHEMA [IF EXISTS] name: every watched table of that schema goes. */
    private void collectDroppedSchema(List<Token> tokens, Set<TableName> found) {
        if (tokens.size() < 3 || !isWord(tokens.get(0), "DROP")
                || !(isWord(tokens.get(1), "DATABASE") || isWord(tokens.get(1), "SCHEMA"))) {
            return;
        }
        int at = 2;
        if (at + 1 < tokens.size() && isWord(tokens.get(at), "IF") && isWord(tokens.get(at + 1), "EXISTS")) {
            at += 2;
        }
        if (at < tokens.size() && tokens.get(at).isName()) {
            for (Watched table : watched) {
                if (sameName(table.schema(), tokens.get(at).text())) {
                    found.add(table.table());
                }
            }
        }
    }

    private static boolean isWord(Token token, String keyword) {
        return token.kind() == Kind.WORD && token.text().equalsIgnoreCase(keyword);
    }

    private static Set<String> caseInsensitive(String... words) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(words));
        return set;
    }

    private void matchUnqualified(String name, String database, Set<TableName> found) {
        boolean anySchema = database == null || database.isEmpty();
        for (Watched table : watched) {
            if (sameName(table.name(), name) && (anySchema || sameName(table.schema(), database))) {
                found.add(table.table());
            }
        }
    }

    private void matchQualified(String schema, String name, Set<TableName> found) {
        for (Watched table : watched) {
            if (sameName(table.name(), name) && sameName(table.schema(), schema)) {
                found.add(table.table());
            }
        }
    }

    /*
     * Case-insensitive, whatever lower_case_table_names says: on a server that tells `T` from `t`, a statement on
     * `T` is a false alarm, which is the safe side.
     */
    private static boolean sameName(String watchedName, String written) {
        return watchedName.equalsIgnoreCase(written)
                || watchedName.toLowerCase(Locale.ROOT).equals(written.toLowerCase(Locale.ROOT));
    }
}
